package io.thinklab.eval;

import java.util.List;

/**
 * A 95 % confidence interval for a share measured on {@code n} problems: the Wilson score interval.
 *
 * <p>Why Wilson and not "rate ± 1.96·√(rate(1−rate)/n)": the normal approximation collapses to a zero-width
 * interval at 0 % and 100 % and can leave [0, 1]; Wilson's stays inside and is honest at the extremes, which is
 * where a truncated arm (0 closes) or a good adapter (all close) sits. With z = 1.96,
 * {@code centre = (p + z²/2n) / (1 + z²/n)}, {@code half = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)}.
 * Reference: E. B. Wilson, "Probable inference, the law of succession, and statistical inference", JASA 1927.
 *
 * @param low  lower end, in [0, 1]
 * @param high upper end, in [0, 1]
 */
public record Interval(double low, double high) {

  private static final double Z = 1.959963984540054;

  /** The Wilson interval of {@code k} successes in {@code n} trials. */
  public static Interval wilson(long k, long n) {
    if (n <= 0 || k < 0 || k > n) {
      throw new IllegalArgumentException("need 0 ≤ k ≤ n and n > 0, got k=" + k + ", n=" + n);
    }
    double p = k / (double) n;
    double z2 = Z * Z;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denom;
    double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
    // at 0 and n successes one end is exactly 0 or 1; rounding must not put the share itself outside
    return new Interval(k == 0 ? 0 : Math.max(0, centre - half), k == n ? 1 : Math.min(1, centre + half));
  }

  /** The interval of a share {@code rate} measured on {@code n} problems (the count is {@code round(rate·n)}). */
  public static Interval ofShare(double rate, int n) {
    return wilson(Math.round(rate * n), n);
  }

  /** Whether the two intervals share no point: the difference between the two shares is beyond chance. */
  public boolean disjointFrom(Interval other) {
    return high < other.low || other.high < low;
  }

  /** {@code [low, high]} rounded to 4 decimals, as the JSON prints it. */
  public List<Double> rounded() {
    return List.of(Math.round(low * 10_000) / 10_000.0, Math.round(high * 10_000) / 10_000.0);
  }

  /** "[52.1 %, 71.0 %]". */
  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "[%.1f %%, %.1f %%]", 100 * low, 100 * high);
  }
}
