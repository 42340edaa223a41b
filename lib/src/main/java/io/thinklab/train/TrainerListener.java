package io.thinklab.train;

import java.util.List;
import java.util.function.Consumer;

/**
 * Something that follows a training run as it goes: the trainer calls it when the run starts, after each held-out
 * evaluation, after every optimizer step and when the run ends. Every method does nothing by default, so a listener
 * writes only the ones it needs; {@link #everyStep} makes one from a lambda.
 *
 * <p>Use one to watch or record a run without touching the loop: a live loss chart in a notebook
 * ({@code io.thinklab.course.LiveLossChart}), a line of progress, the losses a test collects. Add it with
 * {@link Trainer#addListener}. The trainer's own extras are listeners too (as Hugging Face's {@code TrainerCallback}s
 * and DJL's {@code TrainingListener}s), called in this order around yours:
 * <ol>
 *   <li>the held-out loss, when {@link Trainer#evalEvery} asked for it ({@code HeldOutLoss});</li>
 *   <li>the step's line of {@code metrics.jsonl} ({@code MetricsFile});</li>
 *   <li>the progress bar, unless {@link Trainer#quiet} ({@code ProgressBarListener});</li>
 *   <li>yours, in the order they were added;</li>
 *   <li>the checkpoint, every {@code checkpoint_every} steps and after the last ({@code CheckpointWriter}).</li>
 * </ol>
 *
 * <p>Listeners run on the training thread, between two steps. They may read the model but must not change it or
 * draw random numbers from the engine, and the time they take is not counted in a step's time or throughput: a run
 * trains the same with or without them. When the held-out loss is measured after a step, {@link #onEval} comes
 * before {@link #onStep} of that step, so a listener that keeps one record per step (the metrics file) has both.
 */
public interface TrainerListener {

  /**
   * The run begins.
   *
   * @param fromStep optimizer steps already done: 0, or the checkpoint's step when the run resumes
   * @param stopStep the step this call stops after ({@link Trainer#stopStep()})
   */
  default void onStart(int fromStep, int stopStep) {}

  /** The loss on the held-out sequences, measured after {@code step} (no dropout, no gradients). */
  default void onEval(StepReport step, double heldOutLoss) {}

  /** An optimizer step is done: its loss, learning rate, gradient norm and throughput. */
  default void onStep(StepReport step) {}

  /**
   * The run reached its stop step and saved its result (the adapter, or the trained weights). Not called when
   * training stops on an exception ({@link TrainingDiverged}).
   *
   * @param steps the steps of this call, in order
   */
  default void onEnd(List<StepReport> steps) {}

  /** A listener that only follows the steps: {@code TrainerListener.everyStep(s -> losses.add(s.loss()))}. */
  static TrainerListener everyStep(Consumer<StepReport> action) {
    return new TrainerListener() {
      @Override
      public void onStep(StepReport step) {
        action.accept(step);
      }
    };
  }
}
