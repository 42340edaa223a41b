package io.thinklab.curves;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The logged history of one training run: its steps, its evaluations and the trainer's final summary.
 *
 * <p>Read one with {@link Metrics#read(java.nio.file.Path)}, or build one with {@link #of(String, List)} for a
 * hand-made curve. The helpers return plain arrays so notebooks can print or plot them directly.
 *
 * @param name    the run's label in legends and reports
 * @param source  where it was read from (a path), or empty
 * @param steps   the optimizer steps in order of step number
 * @param evals   evaluations in order of step number (may be empty)
 * @param summary the trainer's final summary (Hugging Face's {@code train_runtime}, {@code train_loss}, ...)
 */
public record RunHistory(String name, String source, List<Step> steps, List<EvalPoint> evals,
                         Map<String, Object> summary) {

  public RunHistory {
    Objects.requireNonNull(name, "name");
    source = source == null ? "" : source;
    steps = List.copyOf(steps);
    evals = evals == null ? List.of() : List.copyOf(evals);
    summary = summary == null ? Map.of() : Map.copyOf(summary);
  }

  /** A run with steps only: no source, no evaluations, no summary. */
  public static RunHistory of(String name, List<Step> steps) {
    return new RunHistory(name, "", steps, List.of(), Map.of());
  }

  /** This run under another name (for legends when two files share a folder name). */
  public RunHistory named(String newName) {
    return new RunHistory(newName, source, steps, evals, summary);
  }

  /** The step numbers, as doubles for plotting. */
  public double[] stepNumbers() {
    return column(s -> s.step());
  }

  /** The raw training loss of every step. */
  public double[] losses() {
    return column(Step::loss);
  }

  /** The learning rate of every step. */
  public double[] learningRates() {
    return column(Step::lr);
  }

  /** The gradient norm of every step. */
  public double[] gradNorms() {
    return column(Step::gradNorm);
  }

  /** The throughput of every step, tokens per second. */
  public double[] tokensPerSecond() {
    return column(Step::tokensPerS);
  }

  /** The loss smoothed by a debiased exponential moving average, see {@link Ema#smooth(double[], double)}. */
  public double[] smoothedLoss(double smoothing) {
    return Ema.smooth(losses(), smoothing);
  }

  /** Whether any step logged a finite value of the given field. */
  public boolean has(ToDoubleFunction<Step> field) {
    return steps.stream().anyMatch(s -> Double.isFinite(field.applyAsDouble(s)));
  }

  /**
   * The epoch (counted from 1) each step belongs to, from the logged fractional epoch: a step that logs
   * {@code epoch} belongs to epoch {@code ceil(epoch)}, so 1.0 is the last step of epoch 1 and 1.02 the first of
   * epoch 2. Steps without an epoch inherit the previous step's epoch (or 1).
   */
  public int[] epochOfStep() {
    int[] out = new int[steps.size()];
    int current = 1;
    for (int i = 0; i < out.length; i++) {
      double e = steps.get(i).epoch();
      if (Double.isFinite(e)) {
        current = Math.max(1, (int) Math.ceil(e - 1e-9));
      }
      out[i] = current;
    }
    return out;
  }

  /** Indices into {@link #steps()} of the first step of every epoch after the first. */
  public int[] epochStartIndices() {
    int[] epochs = epochOfStep();
    List<Integer> starts = new ArrayList<>();
    for (int i = 1; i < epochs.length; i++) {
      if (epochs[i] > epochs[i - 1]) {
        starts.add(i);
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Where epoch boundaries fall on the step axis: halfway between the last step of one epoch and the first
   * of the next, so a vertical line there separates them.
   */
  public double[] epochBoundaries() {
    int[] starts = epochStartIndices();
    double[] out = new double[starts.length];
    for (int k = 0; k < starts.length; k++) {
      out[k] = (steps.get(starts[k] - 1).step() + steps.get(starts[k]).step()) / 2.0;
    }
    return out;
  }

  /** The mean training loss of each epoch (non-finite losses skipped). */
  public List<EpochMean> epochMeans() {
    int[] epochs = epochOfStep();
    List<EpochMean> out = new ArrayList<>();
    int i = 0;
    while (i < epochs.length) {
      int j = i;
      double sum = 0;
      int n = 0;
      while (j < epochs.length && epochs[j] == epochs[i]) {
        double l = steps.get(j).loss();
        if (Double.isFinite(l)) {
          sum += l;
          n++;
        }
        j++;
      }
      out.add(new EpochMean(epochs[i], steps.get(i).step(), steps.get(j - 1).step(), n,
          n == 0 ? Double.NaN : sum / n));
      i = j;
    }
    return out;
  }

  /** The mean gradient norm over all steps that logged one (NaN if none did). */
  public double gradNormMean() {
    return Stats.mean(gradNorms(), 0, steps.size());
  }

  private double[] column(ToDoubleFunction<Step> field) {
    double[] out = new double[steps.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = field.applyAsDouble(steps.get(i));
    }
    return out;
  }
}
