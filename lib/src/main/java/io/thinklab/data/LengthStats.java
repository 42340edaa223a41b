package io.thinklab.data;

import java.util.Arrays;

/**
 * Summary of a list of lengths (characters or tokens): count, min, mean, median, 95th percentile, max.
 *
 * <p>Percentiles are nearest-rank on {@code (n-1)·p} of the sorted values (index {@code round((n-1)·p)}), the
 * convention of the seed's own length report, so figures compare directly. All fields are 0 for no values.
 */
public record LengthStats(int count, int min, double mean, int p50, int p95, int max) {

  /** Summarises {@code values} (not modified). */
  public static LengthStats of(int[] values) {
    if (values.length == 0) {
      return new LengthStats(0, 0, 0, 0, 0, 0);
    }
    int[] v = values.clone();
    Arrays.sort(v);
    long sum = 0;
    for (int x : v) {
      sum += x;
    }
    return new LengthStats(v.length, v[0], (double) sum / v.length, percentile(v, 0.50), percentile(v, 0.95),
        v[v.length - 1]);
  }

  /** Nearest-rank percentile of sorted values. */
  public static int percentile(int[] sorted, double p) {
    return sorted[(int) Math.round((sorted.length - 1) * p)];
  }
}
