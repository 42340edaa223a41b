package io.thinklab.train;

/**
 * fp16 dynamic loss scaling, with the rule and defaults of PyTorch's {@code torch.amp.GradScaler}: the loss is
 * multiplied by a large scale before the backward pass so that small fp16 gradients do not underflow to zero, and the
 * gradients are divided by it again before they are used. When a step's gradients overflow (inf/NaN), the update is
 * skipped and the scale halved; after {@link #GROWTH_INTERVAL} good steps in a row it is doubled. In fp32
 * and bf16 (no scaling needed: fp32's exponent range) the scale is 1 and never changes.
 */
final class LossScaler {
  static final double INIT_SCALE = 65536;
  static final int GROWTH_INTERVAL = 2000;

  private final boolean fp16;
  private double scale;
  private int goodSteps;

  LossScaler(boolean fp16) {
    this.fp16 = fp16;
    this.scale = fp16 ? INIT_SCALE : 1;
  }

  /** Whether the loss is scaled (fp16): a non-finite gradient then skips the step instead of ending the run. */
  boolean enabled() {
    return fp16;
  }

  /**
   * Continues from a checkpoint's scale and count of good steps. Unscaled (fp32, bf16) it stays at 1; scaled, a
   * checkpoint of an unscaled run (scale 1, no good steps counted) leaves the initial scale.
   */
  void restore(double scale, int goodSteps) {
    if (!fp16 || (scale == 1 && goodSteps == 0)) {
      return;
    }
    this.scale = scale;
    this.goodSteps = goodSteps;
  }

  /** The scale the next step's loss is multiplied by. */
  double scale() {
    return scale;
  }

  /** Good fp16 steps since the scale last changed (0 in fp32). */
  int goodSteps() {
    return goodSteps;
  }

  /** The gradients overflowed and the update was skipped: halve the scale. */
  void overflowed() {
    scale /= 2;
    goodSteps = 0;
  }

  /** The update was applied: in fp16, double the scale after {@link #GROWTH_INTERVAL} good steps in a row. */
  void updated() {
    if (fp16 && ++goodSteps % GROWTH_INTERVAL == 0) {
      scale *= 2;
    }
  }
}
