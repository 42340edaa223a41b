package io.thinklab.train;

/**
 * Training stopped because the loss or the gradient norm became NaN or infinite: the learning rate is too high, the
 * gradients are not clipped, or fp16 overflowed beyond what loss scaling catches. The message names the step and the
 * last good checkpoint, which stays on disk, with what to try. Catch it to show a diverged run's curve up to that step
 * (notebook 04 does) instead of ending the program.
 */
public final class TrainingDiverged extends IllegalStateException {
  public TrainingDiverged(String message) {
    super(message);
  }
}
