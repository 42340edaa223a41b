package io.thinklab.curves;

/**
 * The mean training loss over one epoch: the number to compare between epochs, because single steps are noisy.
 *
 * @param epoch     the epoch, counted from 1
 * @param firstStep the first optimizer step of the epoch
 * @param lastStep  the last optimizer step of the epoch
 * @param steps     how many steps with a finite loss it averages
 * @param meanLoss  their mean loss
 */
public record EpochMean(int epoch, long firstStep, long lastStep, int steps, double meanLoss) {}
