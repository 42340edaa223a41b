package io.thinklab.curves;

/**
 * The thresholds of {@link Readings}, with the defaults documented on {@link #defaults()}.
 *
 * <p>All fractions are relative to the quantity they compare (0.03 = 3 %). Windows are fractions of the run's
 * steps, never fewer than 3 steps.
 *
 * @param minSteps         fewer steps than this: only a {@code too-short} finding
 * @param tailFraction     window at the end (and around epoch boundaries) for {@code still-falling}/{@code epoch-drop}
 * @param stillFallingDrop {@code still-falling} fires when the last window's mean loss is this much below the window before
 * @param earlyFraction    window at the start for {@code flat-early}
 * @param flatEarlyDrop    {@code flat-early} fires when the second window's mean loss is less than this much below the first
 * @param spikeRise        a step is a loss spike when its loss is this much above the EMA trend before it
 * @param spikyFraction    {@code spiky} fires when at least this fraction of steps are spikes...
 * @param spikyMinCount    ...and at least this many
 * @param epochDrop        {@code epoch-drop} fires when the mean loss just after an epoch boundary is this much below just before
 * @param gradSpikeFactor  a gradient norm is a spike above this multiple of the median (after warm-up)
 * @param warmupFraction   leading fraction of steps ignored by {@code grad-norm-spikes}
 * @param evalRise         {@code eval-rising} fires when the last eval loss is this much above the best one
 * @param smoothing        EMA smoothing of the trend used by {@code spiky}
 */
public record Thresholds(int minSteps, double tailFraction, double stillFallingDrop, double earlyFraction,
                         double flatEarlyDrop, double spikeRise, double spikyFraction, int spikyMinCount,
                         double epochDrop, double gradSpikeFactor, double warmupFraction, double evalRise,
                         double smoothing) {

  /**
   * The defaults: at least 10 steps; still falling when the last 10 % of steps average over 3 % below the 10 %
   * before; flat early when the second 20 % of steps average less than 2 % below the first 20 %; a loss spike
   * is 25 % above the EMA (0.9) trend, spiky means at least 2 spikes and 2 % of steps; an epoch drop is a
   * fall over 10 % across a boundary (windows of 10 % of the previous epoch); a gradient-norm spike is over 3×
   * the median after the first 10 % of steps; eval loss is rising when its last value is over 2 % above its
   * minimum.
   */
  public static Thresholds defaults() {
    return new Thresholds(10, 0.10, 0.03, 0.20, 0.02, 0.25, 0.02, 2, 0.10, 3.0, 0.10, 0.02, 0.9);
  }
}
