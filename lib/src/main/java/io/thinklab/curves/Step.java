package io.thinklab.curves;

/**
 * One optimizer step of a training run, as the trainer logged it.
 *
 * <p>Fields a source did not log are {@code NaN} (a Hugging Face {@code trainer_state.json} has no tokens or
 * throughput, for example); every consumer in this package skips non-finite values.
 *
 * @param step       the optimizer step, counted from 1
 * @param epoch      epochs completed after this step, fractional (the last step of epoch 1 logs 1.0)
 * @param loss       mean training loss of the step (NaN when the run diverged)
 * @param lr         learning rate used for the step
 * @param gradNorm   gradient norm before clipping
 * @param tokens     tokens trained in the step
 * @param tokensPerS training throughput, tokens per second
 * @param elapsedS   seconds since the run started
 */
public record Step(long step, double epoch, double loss, double lr, double gradNorm, double tokens,
                   double tokensPerS, double elapsedS) {

  /** A step with only a loss, handy for tests and hand-made curves; epoch and the rest are NaN. */
  public static Step of(long step, double loss) {
    return new Step(step, Double.NaN, loss, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }
}
