package io.thinklab.train;

import io.thinklab.curves.Step;

/**
 * What one optimizer step did, as the trainer reports it: {@link Trainer#run} returns one per step, every
 * {@link TrainerListener} hears of it ({@link TrainerListener#onStep}), and it is one line of {@code metrics.jsonl}.
 * Read back from that file, the same step is a {@link Step} of the curves package ({@link #curveStep()}).
 *
 * @param step       optimizer step, from 1
 * @param epoch      epochs done (fractional)
 * @param loss       mean cross-entropy over the step's trained tokens
 * @param lr         learning rate applied
 * @param gradNorm   global gradient norm before clipping
 * @param tokens     trained (completion) tokens in the step
 * @param tokensPerS input tokens (prompt + completion, no padding) per second of this step
 * @param elapsedS   training seconds since the run began (resumes included)
 * @param lossScale  fp16 loss scale after this step (halved when it overflowed; 1 in fp32)
 * @param skipped    true when fp16 gradients overflowed and the update was skipped
 */
public record StepReport(int step, double epoch, double loss, double lr, double gradNorm, long tokens,
                         double tokensPerS, double elapsedS, double lossScale, boolean skipped) {

  /** This step as the curves package reads a {@code metrics.jsonl} line: for charts drawn while training. */
  public Step curveStep() {
    return new Step(step, epoch, loss, lr, gradNorm, tokens, tokensPerS, elapsedS);
  }
}
