package io.thinklab.compare;

import java.util.Arrays;

/**
 * A summary of a distribution of per-trace values (non-finite values skipped).
 *
 * @param n      how many values
 * @param mean   their mean
 * @param median the median (mean of the two middle values for even n)
 * @param p90    the 90th percentile (nearest rank)
 * @param max    the largest value
 */
public record Distribution(int n, double mean, double median, double p90, double max) {

  /** Summarises {@code values}; all NaN when there are none. */
  public static Distribution of(double[] values) {
    double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    if (v.length == 0) {
      return new Distribution(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    int rank = (int) Math.ceil(0.9 * v.length) - 1;
    return new Distribution(v.length, Arrays.stream(v).average().orElseThrow(), median, v[Math.max(0, rank)],
        v[v.length - 1]);
  }
}
