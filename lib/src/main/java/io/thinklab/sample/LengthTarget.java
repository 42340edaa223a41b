package io.thinklab.sample;

import java.util.SplittableRandom;

/**
 * Draws the length (in estimated tokens, see {@link TokenEstimate}) that a synthetic row should reach; the
 * teacher then writes reasoning until the row is that long.
 *
 * <p>Opus style: log-normal with median 680 and σ = 0.51; with the overshoot of the last paragraph the rows land on p50 ≈ 717 and p95 ≈ 1,611, the seed's measured Opus figures.
 * GLM style: a mixture — with probability {@value #GLM_SHORT} a short log-normal (median 1,250, σ = 0.40),
 * otherwise a long one with its mode at 3,400 (σ = 0.35) and a right tail — which puts about 79 % of rows over
 * 2,048 tokens. Mini scale divides every length by 8. Uses {@link StrictMath} and its own Box–Muller transform
 * so the same seed gives the same lengths on every JVM.
 */
public final class LengthTarget {
  private LengthTarget() {}

  static final double GLM_SHORT = 0.215;

  /** A target total length in estimated tokens for one row. */
  public static int draw(Style style, Scale scale, SplittableRandom rnd) {
    double tokens = switch (style) {
      case OPUS -> logNormal(rnd, 680, 0.51);
      case GLM -> rnd.nextDouble() < GLM_SHORT
          ? logNormal(rnd, 1250, 0.40)
          : logNormal(rnd, 3400 * StrictMath.exp(0.35 * 0.35), 0.35);
    };
    return (int) StrictMath.round(tokens / scale.divisor());
  }

  /** A log-normal draw with the given median and shape σ. */
  static double logNormal(SplittableRandom rnd, double median, double sigma) {
    double u1 = 1.0 - rnd.nextDouble();   // (0, 1]
    double u2 = rnd.nextDouble();
    double z = StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    return median * StrictMath.exp(sigma * z);
  }
}
