package io.thinklab.course;

import io.thinklab.curves.AnnotatedFigure;
import io.thinklab.curves.CurveFigures;
import io.thinklab.curves.EvalPoint;
import io.thinklab.curves.RunHistory;
import io.thinklab.curves.Step;
import io.thinklab.train.LoraRecipe;
import io.thinklab.train.StepReport;
import io.thinklab.train.Trainer;
import io.thinklab.train.TrainerListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A training-loss chart that redraws itself in the notebook while the model trains, as d2l-java's {@code Animator}
 * does: add it to a trainer and it shows the chart when training starts, then replaces it in place every few steps
 * and after the last one. It draws what {@link CurveFigures#loss} draws for a finished run's {@code metrics.jsonl}:
 * the raw loss (faint), its smoothed curve (solid), the held-out loss when the trainer measures one, the epoch lines
 * and the start and end notes. The chart left in the notebook is the run's final chart.
 *
 * <pre>{@code
 * LiveLossChart chart = LiveLossChart.of("LoRA SFT").redrawEvery(5);
 * Trainer.lora(model, adapter, data, cfg, out).quiet().addListener(chart).run(false);
 * double[] ema = chart.history().smoothedLoss(0.8);   // what it drew, for the checks after the run
 * }</pre>
 *
 * <p>Use it in a notebook cell that trains ({@link Trainer#addListener}, {@link LoraRecipe#addListener}). It shows
 * through {@link NotebookDisplay#current()}: ThinkLab's kernel, also when nbclient executes the notebook headless;
 * outside a kernel (a test, the command line) it draws nothing, and {@link #figure()} still gives the chart. A resumed
 * run continues the chart from its checkpoint's step; a run from step 0 starts it again.
 */
public final class LiveLossChart implements TrainerListener {
  private final String name;
  private double smoothing = 0.8;
  private int redrawEvery = 5;
  private NotebookDisplay display;                    // null: NotebookDisplay.current(), found when training starts
  private final List<Step> steps = new ArrayList<>();
  private final List<EvalPoint> evals = new ArrayList<>();
  private int stopStep;
  private String shownAs;                             // the output's id, once shown
  private long drawnUpTo = -1;                        // the last step in the drawing on screen

  private LiveLossChart(String name) {
    this.name = name;
  }

  /** A chart of the run called {@code name} (its legend): EMA smoothing 0.8, redrawn every 5 steps. */
  public static LiveLossChart of(String name) {
    return new LiveLossChart(name);
  }

  /** The smoothing of the solid curve, an EMA weight in [0, 1) (default 0.8; {@code thinklab curves} uses 0.9). */
  public LiveLossChart smoothing(double beta) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException("smoothing must be in [0, 1), got " + beta);
    }
    this.smoothing = beta;
    return this;
  }

  /** Redraws after every {@code steps} optimizer steps (default 5) and after the last step. */
  public LiveLossChart redrawEvery(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("redrawEvery: steps must be ≥ 1, got " + steps);
    }
    this.redrawEvery = steps;
    return this;
  }

  /** Where to draw, instead of {@link NotebookDisplay#current()} (a test records the drawings). */
  public LiveLossChart showOn(NotebookDisplay where) {
    this.display = where;
    return this;
  }

  /** The steps and held-out losses received so far, as the run's history. */
  public RunHistory history() {
    return new RunHistory(name, "", steps, evals, Map.of());
  }

  /** The chart of the steps received so far. */
  public AnnotatedFigure figure() {
    return CurveFigures.loss(List.of(history()), smoothing);
  }

  // ---------------------------------------------------------------- as a trainer listener

  @Override
  public void onStart(int fromStep, int stopStep) {
    this.stopStep = stopStep;
    steps.removeIf(s -> s.step() > fromStep); // a resume continues from its checkpoint; a fresh run starts again
    evals.removeIf(e -> e.step() > fromStep);
    if (display == null) {
      display = NotebookDisplay.current();
    }
    shownAs = display.show(figure());
    drawnUpTo = fromStep;
  }

  @Override
  public void onEval(StepReport step, double heldOutLoss) {
    evals.add(new EvalPoint(step.step(), step.epoch(), heldOutLoss));
  }

  @Override
  public void onStep(StepReport step) {
    steps.add(step.curveStep());
    if (step.step() % redrawEvery == 0 || step.step() == stopStep) {
      redraw();
    }
  }

  @Override
  public void onEnd(List<StepReport> done) {
    if (!steps.isEmpty() && drawnUpTo != steps.get(steps.size() - 1).step()) {
      redraw();
    }
  }

  private void redraw() {
    display.update(shownAs, figure());
    drawnUpTo = steps.get(steps.size() - 1).step();
  }
}
