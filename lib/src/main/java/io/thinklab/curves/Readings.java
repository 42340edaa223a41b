package io.thinklab.curves;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a loss curve the way an experienced practitioner would, and says so in words tied to numbers.
 *
 * <p>Each reading compares window means (not single steps, which are noisy) against a threshold from
 * {@link Thresholds}:
 * <ul>
 *   <li>{@code still-falling}: the last 10 % of steps average over 3 % below the 10 % before, so the run
 *       stopped while still learning; more steps would likely lower the loss.</li>
 *   <li>{@code flat-early}: the second 20 % of steps average less than 2 % below the first 20 %: the learning
 *       rate may be too low, warm-up too long, or the loss dominated by tokens the model already predicts.</li>
 *   <li>{@code spiky}: steps whose loss jumps over 25 % above the EMA trend before them: a learning rate too
 *       high, or a few very different (long, truncated, mislabelled) examples.</li>
 *   <li>{@code epoch-drop}: the loss falls over 10 % across an epoch boundary: the model has seen these exact
 *       examples before; that is memorisation, not necessarily learning. Check held-out loss.</li>
 *   <li>{@code grad-norm-spikes}: gradient norms over 3× their median after warm-up: unstable updates.</li>
 *   <li>{@code eval-rising}: the last eval loss is over 2 % above its best: over-fitting has begun.</li>
 * </ul>
 * A run with fewer than 10 steps yields only {@code too-short}. Windows count logged points: a Hugging Face run
 * that logged every 10 steps has a tenth as many, each already an average over its 10 steps.
 */
public final class Readings {
  private Readings() {}

  /** Reads a run with the default thresholds. */
  public static CurveReading of(RunHistory run) {
    return of(run, Thresholds.defaults());
  }

  /** Reads a run with the given thresholds. */
  public static CurveReading of(RunHistory run, Thresholds t) {
    double[] loss = run.losses();
    int n = loss.length;
    double[] trend = Ema.smooth(loss, t.smoothing());
    double first = n == 0 ? Double.NaN : firstFinite(loss);
    double last = n == 0 ? Double.NaN : lastFinite(trend);
    double min = Stats.finite(loss).length == 0 ? Double.NaN
        : java.util.Arrays.stream(Stats.finite(loss)).min().getAsDouble();
    List<Finding> findings = new ArrayList<>();
    if (n < t.minSteps()) {
      findings.add(new Finding("too-short",
          fmt("Only %d steps were logged; the readings need at least %d.", n, t.minSteps()),
          nums("steps", n), nums("minSteps", t.minSteps())));
      return new CurveReading(run.name(), n, first, last, min, findings);
    }
    stillFalling(run, loss, t, findings);
    flatEarly(run, loss, t, findings);
    spiky(run, loss, trend, t, findings);
    epochDrop(run, loss, t, findings);
    gradSpikes(run, t, findings);
    evalRising(run, t, findings);
    return new CurveReading(run.name(), n, first, last, min, findings);
  }

  private static void stillFalling(RunHistory run, double[] loss, Thresholds t, List<Finding> out) {
    int n = loss.length;
    int w = window(n, t.tailFraction());
    if (n < 2 * w) {
      return;
    }
    double before = Stats.mean(loss, n - 2 * w, n - w);
    double end = Stats.mean(loss, n - w, n);
    double drop = (before - end) / before;
    if (drop > t.stillFallingDrop()) {
      out.add(new Finding("still-falling",
          fmt("The loss was still falling steeply at the end: the last %d steps averaged %.3f, %.1f %% below "
              + "the %d steps before (%.3f). The run stopped while still learning; more steps would likely "
              + "lower it further.", w, end, 100 * drop, w, before),
          nums("windowSteps", w, "meanBefore", before, "meanLast", end, "relativeDrop", drop),
          nums("stillFallingDrop", t.stillFallingDrop(), "tailFraction", t.tailFraction())));
    }
  }

  private static void flatEarly(RunHistory run, double[] loss, Thresholds t, List<Finding> out) {
    int n = loss.length;
    int k = window(n, t.earlyFraction());
    if (n < 2 * k) {
      return;
    }
    double a = Stats.mean(loss, 0, k);
    double b = Stats.mean(loss, k, 2 * k);
    double drop = (a - b) / a;
    if (drop < t.flatEarlyDrop()) {
      out.add(new Finding("flat-early",
          fmt("The loss was flat early: steps %d-%d averaged %.3f against %.3f for the first %d steps "
              + "(%.1f %% lower, less than %.0f %%). The learning rate may be too low or warm-up too long, or "
              + "the loss counts mostly tokens the model already predicts (is the prompt masked?).",
              k + 1, 2 * k, b, a, k, 100 * drop, 100 * t.flatEarlyDrop()),
          nums("windowSteps", k, "meanFirst", a, "meanSecond", b, "relativeDrop", drop),
          nums("flatEarlyDrop", t.flatEarlyDrop(), "earlyFraction", t.earlyFraction())));
    }
  }

  private static void spiky(RunHistory run, double[] loss, double[] trend, Thresholds t, List<Finding> out) {
    int n = loss.length;
    int spikes = 0;
    int counted = 0;
    double worst = 0;
    long worstStep = -1;
    for (int i = 1; i < n; i++) {
      if (!Double.isFinite(loss[i]) || !Double.isFinite(trend[i - 1])) {
        continue;
      }
      counted++;
      double rise = (loss[i] - trend[i - 1]) / trend[i - 1];
      if (rise > t.spikeRise()) {
        spikes++;
      }
      if (rise > worst) {
        worst = rise;
        worstStep = run.steps().get(i).step();
      }
    }
    double fraction = counted == 0 ? 0 : (double) spikes / counted;
    if (spikes >= t.spikyMinCount() && fraction >= t.spikyFraction()) {
      out.add(new Finding("spiky",
          fmt("The loss is spiky: %d of %d steps (%.1f %%) jumped over %.0f %% above the smoothed trend, the "
              + "worst by %.0f %% at step %d. Suspect a learning rate too high, or a few very different "
              + "examples (very long, truncated or mislabelled).", spikes, counted, 100 * fraction,
              100 * t.spikeRise(), 100 * worst, worstStep),
          nums("spikes", spikes, "stepsCompared", counted, "spikeFraction", fraction, "worstRise", worst,
              "worstStep", worstStep),
          nums("spikeRise", t.spikeRise(), "spikyFraction", t.spikyFraction(), "spikyMinCount",
              t.spikyMinCount(), "smoothing", t.smoothing())));
    }
  }

  private static void epochDrop(RunHistory run, double[] loss, Thresholds t, List<Finding> out) {
    int[] starts = run.epochStartIndices();
    int[] epochs = run.epochOfStep();
    int prevStart = 0;
    for (int b : starts) {
      int w = window(b - prevStart, t.tailFraction());
      double before = Stats.mean(loss, Math.max(prevStart, b - w), b);
      double after = Stats.mean(loss, b, Math.min(loss.length, b + w));
      double drop = (before - after) / before;
      if (drop > t.epochDrop()) {
        int epoch = epochs[b];
        out.add(new Finding("epoch-drop",
            fmt("At the start of epoch %d (step %d) the loss dropped from %.3f to %.3f (%.1f %%, mean of %d "
                + "steps either side). The model is seeing these exact examples again: this is memorisation, "
                + "not necessarily learning. Compare with a held-out eval loss.",
                epoch, run.steps().get(b).step(), before, after, 100 * drop, w),
            nums("epoch", epoch, "step", run.steps().get(b).step(), "meanBefore", before, "meanAfter", after,
                "relativeDrop", drop, "windowSteps", w),
            nums("epochDrop", t.epochDrop(), "tailFraction", t.tailFraction())));
      }
      prevStart = b;
    }
  }

  private static void gradSpikes(RunHistory run, Thresholds t, List<Finding> out) {
    double[] g = run.gradNorms();
    int skip = (int) Math.round(g.length * t.warmupFraction());
    double median = Stats.median(g, skip, g.length);
    if (!Double.isFinite(median) || median <= 0) {
      return;
    }
    int spikes = 0;
    double max = 0;
    long maxStep = -1;
    for (int i = skip; i < g.length; i++) {
      if (Double.isFinite(g[i]) && g[i] > t.gradSpikeFactor() * median) {
        spikes++;
        if (g[i] > max) {
          max = g[i];
          maxStep = run.steps().get(i).step();
        }
      }
    }
    if (spikes > 0) {
      out.add(new Finding("grad-norm-spikes",
          fmt("The gradient norm spiked %d time%s above %.1f× its median %.3f (largest %.3f at step %d). "
              + "Updates were unstable there: lower the learning rate, keep gradient clipping on, and look at "
              + "the batch of that step.", spikes, spikes == 1 ? "" : "s", t.gradSpikeFactor(), median, max,
              maxStep),
          nums("spikes", spikes, "median", median, "max", max, "maxStep", maxStep, "stepsSkipped", skip),
          nums("gradSpikeFactor", t.gradSpikeFactor(), "warmupFraction", t.warmupFraction())));
    }
  }

  private static void evalRising(RunHistory run, Thresholds t, List<Finding> out) {
    List<EvalPoint> ev = run.evals();
    if (ev.size() < 3) {
      return;
    }
    EvalPoint best = ev.get(0);
    for (EvalPoint e : ev) {
      if (e.evalLoss() < best.evalLoss()) {
        best = e;
      }
    }
    EvalPoint end = ev.get(ev.size() - 1);
    double rise = (end.evalLoss() - best.evalLoss()) / best.evalLoss();
    if (rise > t.evalRise()) {
      out.add(new Finding("eval-rising",
          fmt("The eval loss rose from its best %.3f at step %d to %.3f at step %d (+%.1f %%) while training "
              + "continued: the model has begun to over-fit. The checkpoint near step %d generalises better.",
              best.evalLoss(), best.step(), end.evalLoss(), end.step(), 100 * rise, best.step()),
          nums("bestEvalLoss", best.evalLoss(), "bestStep", best.step(), "lastEvalLoss", end.evalLoss(),
              "lastStep", end.step(), "relativeRise", rise),
          nums("evalRise", t.evalRise())));
    }
  }

  private static int window(int n, double fraction) {
    return Math.max(3, (int) Math.round(n * fraction));
  }

  private static double firstFinite(double[] v) {
    for (double x : v) {
      if (Double.isFinite(x)) {
        return x;
      }
    }
    return Double.NaN;
  }

  private static double lastFinite(double[] v) {
    for (int i = v.length - 1; i >= 0; i--) {
      if (Double.isFinite(v[i])) {
        return v[i];
      }
    }
    return Double.NaN;
  }

  private static Map<String, Double> nums(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    }
    return m;
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
