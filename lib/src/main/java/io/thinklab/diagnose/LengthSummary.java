package io.thinklab.diagnose;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Count, min, max, mean and the 50th/90th/95th/99th percentiles of a list of token lengths, computed as the seed's
 * published report did, so the numbers compare one to one.
 *
 * <p>Percentile p is the sorted value at index {@code round(p/100 * (n-1))}, rounding half to even (Python's
 * {@code round}); the mean is rounded to 2 decimals, half to even on its exact binary value.
 *
 * @param count number of values
 * @param min   smallest
 * @param max   largest
 * @param mean  arithmetic mean, 2 decimals
 * @param p50   median by the rule above
 * @param p90   90th percentile
 * @param p95   95th percentile
 * @param p99   99th percentile
 */
public record LengthSummary(int count, int min, int max, double mean, int p50, int p90, int p95, int p99) {

  /** Summarises {@code values} (not modified). An empty list gives all zeros. */
  public static LengthSummary of(int[] values) {
    int n = values.length;
    if (n == 0) {
      return new LengthSummary(0, 0, 0, 0, 0, 0, 0, 0);
    }
    int[] s = values.clone();
    Arrays.sort(s);
    long sum = 0;
    for (int v : s) {
      sum += v;
    }
    return new LengthSummary(n, s[0], s[n - 1], round2((double) sum / n),
        s[percentileIndex(50, n)], s[percentileIndex(90, n)], s[percentileIndex(95, n)], s[percentileIndex(99, n)]);
  }

  /** {@code round(p/100 * (n-1))} with ties to even, in exact integer arithmetic. */
  public static int percentileIndex(int p, int n) {
    long q = (long) p * (n - 1);
    long idx = q / 100;
    long rem = q % 100;
    if (rem > 50 || (rem == 50 && idx % 2 == 1)) {
      idx++;
    }
    return (int) idx;
  }

  /** Rounds to 2 decimals, half to even on the double's exact value (what Python's {@code round(x, 2)} does). */
  public static double round2(double x) {
    return new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
  }

  /** The seed's key order: count, min, max, mean, p50, p90, p95, p99. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("min", min);
    m.put("max", max);
    m.put("mean", mean);
    m.put("p50", p50);
    m.put("p90", p90);
    m.put("p95", p95);
    m.put("p99", p99);
    return m;
  }
}
