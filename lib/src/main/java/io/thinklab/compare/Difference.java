package io.thinklab.compare;

/**
 * A notable difference between datasets on one figure: which is highest, which lowest, and by how much.
 *
 * @param metric    the figure's key (as in the summary table)
 * @param label     what it measures, in words
 * @param high      the dataset with the highest value
 * @param highValue its value
 * @param low       the dataset with the lowest value
 * @param lowValue  its value
 * @param factor    highValue ÷ lowValue for amounts; NaN for shares, which differ in points
 * @param sentence  the difference in plain words
 */
public record Difference(String metric, String label, String high, double highValue, String low, double lowValue,
                         double factor, String sentence) {}
