package io.thinklab.train;

import io.thinklab.model.LlamaModel;
import java.util.List;

/**
 * The held-out loss measured while training ({@link Trainer#evalEvery}): after every {@code every} optimizer steps
 * and after the last step of the call, the completion-only loss of {@link EvalLoss} on sequences never trained on,
 * reported to every listener as {@link TrainerListener#onEval}. The metrics file writes it as {@code eval_loss}.
 *
 * <p>Why it cannot change the run: the forward pass runs without dropout and draws no random numbers, and the
 * parameters are only read. A rising held-out loss under a falling training loss is over-fitting.
 */
final class HeldOutLoss implements TrainerListener {
  private final LlamaModel model;
  private final List<Sequence> heldOut;
  private final int microBatch;
  private final int every;
  private final TrainerListener reportTo;
  private int stopStep;

  HeldOutLoss(LlamaModel model, List<Sequence> heldOut, int microBatch, int every, TrainerListener reportTo) {
    this.model = model;
    this.heldOut = heldOut;
    this.microBatch = microBatch;
    this.every = every;
    this.reportTo = reportTo;
  }

  @Override
  public void onStart(int fromStep, int stopStep) {
    this.stopStep = stopStep;
  }

  @Override
  public void onStep(StepReport step) {
    if (step.step() % every == 0 || step.step() == stopStep) {
      reportTo.onEval(step, EvalLoss.of(model, heldOut, microBatch));
    }
  }
}
