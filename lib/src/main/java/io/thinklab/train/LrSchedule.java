package io.thinklab.train;

/**
 * The learning rate at each optimizer step: a linear warmup from 0 to the peak over
 * {@code ceil(warmupRatio · total)} steps, then constant, linear decay to 0, or a half cosine to 0, as
 * Transformers' {@code get_*_schedule_with_warmup}:
 * {@code lr(s) = peak · ½(1 + cos(π · (s − w)/(total − w)))} for cosine.
 */
public final class LrSchedule {
  private LrSchedule() {}

  /** Warmup steps for a run of {@code total} steps. */
  public static int warmupSteps(double ratio, int total) {
    return (int) Math.ceil(ratio * total);
  }

  /**
   * The rate applied at optimizer step {@code step} (0-based, as the scheduler's counter before its first
   * {@code step()} call in Transformers).
   */
  public static double at(String schedule, double peak, int step, int total, int warmup) {
    if (step < warmup) {
      return peak * step / Math.max(1, warmup);
    }
    double progress = (double) (step - warmup) / Math.max(1, total - warmup);
    return switch (schedule) {
      case "constant" -> peak;
      case "linear" -> peak * Math.max(0, 1 - progress);
      case "cosine" -> peak * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
      default -> throw new IllegalArgumentException("unknown schedule " + schedule);
    };
  }
}
