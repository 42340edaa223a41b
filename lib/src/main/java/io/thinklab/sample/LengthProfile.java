package io.thinklab.sample;

import io.thinklab.data.LengthStats;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The length profile of generated rows in estimated tokens — what the sample data is calibrated against
 * ({@link LengthStats} summarises any lengths; this adds the truncation view): percentiles (nearest rank on {@code (n−1)·p},
 * as the seed's length report computes them), the share longer than a cutoff, and the mode of a histogram
 * (smoothed over five bins, so a few hundred rows give a stable figure).
 *
 * @param rows      number of sequences
 * @param p50       median length
 * @param p95       95th percentile
 * @param max       longest
 * @param mean      mean length
 * @param cutoff    the cutoff {@code shareOver} refers to
 * @param shareOver fraction of sequences longer than {@code cutoff}
 * @param mode      centre of the bin at the middle of the densest window of five adjacent bins
 * @param binWidth  the histogram's bin width
 */
public record LengthProfile(int rows, int p50, int p95, int max, double mean, int cutoff, double shareOver,
                          int mode, int binWidth) {

  /** Statistics of {@code lengths} with a cutoff and a histogram bin width for the mode. */
  public static LengthProfile of(int[] lengths, int cutoff, int binWidth) {
    if (lengths.length == 0) {
      throw new IllegalArgumentException("no lengths");
    }
    int[] s = lengths.clone();
    Arrays.sort(s);
    int n = s.length;
    long over = Arrays.stream(s).filter(x -> x > cutoff).count();
    int[] bins = new int[s[n - 1] / binWidth + 1];
    for (int x : s) {
      bins[x / binWidth]++;
    }
    int best = 0;
    int bestCount = -1;
    for (int b = 0; b < bins.length; b++) {   // the densest window of five adjacent bins, centred on bin b
      int count = 0;
      for (int w = Math.max(0, b - 2); w <= Math.min(bins.length - 1, b + 2); w++) {
        count += bins[w];
      }
      if (count > bestCount) {
        best = b;
        bestCount = count;
      }
    }
    return new LengthProfile(n, LengthStats.percentile(s, 0.50), LengthStats.percentile(s, 0.95), s[n - 1], Arrays.stream(s).average().orElse(0),
        cutoff, (double) over / n, best * binWidth + binWidth / 2, binWidth);
  }

  /** Estimated full-sequence lengths of generated rows, with the scale's cutoff (2,048 full, 256 mini). */
  public static LengthProfile of(List<SampleRow> rows, Scale scale) {
    int[] lengths = rows.stream().mapToInt(SampleRow::estimatedTokens).toArray();
    return of(lengths, scale.cutoff(), 200 / scale.divisor());
  }

  /** One line for reports: {@code rows=300 p50=702 p95=1590 max=… share>2048=1.7% mode≈…}. */
  public String summary() {
    return String.format(Locale.ROOT, "rows=%d p50=%d p95=%d max=%d mean=%.0f share>%d=%.1f%% mode≈%d (bins of %d)",
        rows, p50, p95, max, mean, cutoff, 100 * shareOver, mode, binWidth);
  }
}
