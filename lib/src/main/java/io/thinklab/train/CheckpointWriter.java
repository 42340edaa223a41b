package io.thinklab.train;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the run's checkpoint ({@link Checkpoints}) every {@code checkpoint_every} optimizer steps and after the
 * last step of the call: the trainable parameters, the optimizer's moments and the loop's state, everything an exact
 * resume needs. The trainer calls it after every other listener, so a step is checkpointed once it is fully reported.
 */
final class CheckpointWriter implements TrainerListener {
  private final Path out;
  private final Map<String, NDArray> params;
  private final AdamW adam;
  private final LossScaler scaler;
  private final TrainConfig cfg;
  private int stopStep;

  CheckpointWriter(Path out, Map<String, NDArray> params, AdamW adam, LossScaler scaler, TrainConfig cfg) {
    this.out = out;
    this.params = params;
    this.adam = adam;
    this.scaler = scaler;
    this.cfg = cfg;
  }

  @Override
  public void onStart(int fromStep, int stopStep) {
    this.stopStep = stopStep;
  }

  @Override
  public void onStep(StepReport step) {
    int n = step.step();
    if ((cfg.checkpointEvery() > 0 && n % cfg.checkpointEvery() == 0) || n == stopStep) {
      Checkpoints.write(out, new Checkpoints.State(n, scaler.scale(), scaler.goodSteps(), step.elapsedS(), cfg.seed()),
          params, adam.state(), cfg.keepCheckpoints());
    }
  }
}
