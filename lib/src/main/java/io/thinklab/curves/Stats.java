package io.thinklab.curves;

import java.util.Arrays;

/** Small statistics over arrays that skip non-finite values; internal to the curve code. */
final class Stats {
  private Stats() {}

  /** Mean of the finite values in {@code [from, to)}, NaN when there are none. */
  static double mean(double[] v, int from, int to) {
    double sum = 0;
    int n = 0;
    for (int i = Math.max(0, from); i < Math.min(v.length, to); i++) {
      if (Double.isFinite(v[i])) {
        sum += v[i];
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Median of the finite values in {@code [from, to)}, NaN when there are none. */
  static double median(double[] v, int from, int to) {
    double[] f = Arrays.stream(v, Math.max(0, from), Math.min(v.length, to)).filter(Double::isFinite).sorted()
        .toArray();
    if (f.length == 0) {
      return Double.NaN;
    }
    return f.length % 2 == 1 ? f[f.length / 2] : (f[f.length / 2 - 1] + f[f.length / 2]) / 2;
  }

  /** The finite values only. */
  static double[] finite(double[] v) {
    return Arrays.stream(v).filter(Double::isFinite).toArray();
  }
}
