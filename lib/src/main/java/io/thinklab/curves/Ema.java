package io.thinklab.curves;

/**
 * Exponential moving average with TensorBoard's debiasing: the smoothed line every loss chart shows.
 *
 * <p>With smoothing {@code w} in [0, 1): {@code m_t = w·m_{t-1} + (1−w)·x_t}, {@code m_0 = 0}, and the
 * plotted value is {@code m_t / (1 − w^t)}. Dividing by {@code 1 − w^t} removes the pull towards zero of the
 * zero start, so the line begins at the first value instead of far below it (the same correction as Adam's
 * bias correction). {@code w = 0} returns the raw values; {@code w = 0.9} averages over roughly the last ten
 * steps; {@code 0.99} over a hundred. Non-finite values (a diverged step) are passed through and do not
 * disturb the average.
 */
public final class Ema {
  private Ema() {}

  /** The default smoothing, as in the CLI's {@code --smoothing}. */
  public static final double DEFAULT_SMOOTHING = 0.9;

  /** The debiased EMA of {@code values} with smoothing {@code w} in [0, 1). */
  public static double[] smooth(double[] values, double w) {
    if (!(w >= 0 && w < 1)) {
      throw new IllegalArgumentException("smoothing must be in [0, 1), got " + w);
    }
    double[] out = new double[values.length];
    double m = 0;
    int t = 0;
    for (int i = 0; i < values.length; i++) {
      double x = values[i];
      if (!Double.isFinite(x)) {
        out[i] = x;
        continue;
      }
      m = w * m + (1 - w) * x;
      t++;
      out[i] = m / (1 - Math.pow(w, t));
    }
    return out;
  }
}
