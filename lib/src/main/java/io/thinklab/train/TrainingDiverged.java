package io.thinklab.train;

/**
 * Training stopped because the loss or the gradient norm became NaN or infinite: the learning rate is too high, the
 * gradients are not clipped, or fp16 overflowed beyond what loss scaling catches. The message names the step and the
 * last good checkpoint, which stays on disk, with what to try. Catch it by its type to show a diverged run's curve up
 * to that step (notebook 04 does) instead of ending the program; {@link #step()} says where it stopped.
 */
public final class TrainingDiverged extends IllegalStateException {
  private final int step;

  public TrainingDiverged(int step, String message) {
    super(message);
    this.step = step;
  }

  /** The optimizer step (from 1) whose loss or gradients were not finite; nothing of it was applied. */
  public int step() {
    return step;
  }
}
