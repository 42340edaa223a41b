package io.thinklab.curves;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/** Hand-built curves, each made to trigger one reading (or none). Deterministic: no random numbers. */
final class Synthetic {
  private Synthetic() {}

  /** Small deterministic wiggle in [-a, a]. */
  static double wiggle(int i, double a) {
    return a * Math.sin(i * 1.7);
  }

  /** A run of {@code n} steps over {@code epochs} epochs; grad norm near 1. */
  static RunHistory run(String name, int n, int epochs, IntToDoubleFunction loss) {
    return run(name, n, epochs, loss, i -> 1.0 + wiggle(i, 0.05));
  }

  static RunHistory run(String name, int n, int epochs, IntToDoubleFunction loss, IntToDoubleFunction grad) {
    List<Step> steps = new ArrayList<>();
    double perEpoch = (double) n / epochs;
    for (int i = 1; i <= n; i++) {
      steps.add(new Step(i, i / perEpoch, loss.applyAsDouble(i), 2e-4, grad.applyAsDouble(i), 4096, 1000 + i,
          i * 4.0));
    }
    return new RunHistory(name, "", steps, List.of(), Map.of());
  }

  /** Falls fast, then plateaus with a little noise: nothing should fire. */
  static RunHistory healthy() {
    return run("healthy", 200, 1, i -> 0.8 + 1.5 * Math.exp(-i / 15.0) + wiggle(i, 0.02));
  }

  /** Falls linearly to the very end. */
  static RunHistory stillFalling() {
    return run("still-falling", 100, 1, i -> 2.5 - 0.008 * i);
  }

  /** Does not move at all (learning rate too low). */
  static RunHistory flat() {
    return run("flat", 100, 1, i -> 2.0 + wiggle(i, 0.01));
  }

  /** Healthy, with every tenth step after warm-up 60 % higher. */
  static RunHistory spiky() {
    return run("spiky", 200, 1, i -> (0.8 + 1.5 * Math.exp(-i / 15.0) + wiggle(i, 0.02))
        * (i > 30 && i % 10 == 0 ? 1.6 : 1.0));
  }

  /** Two epochs: plateau at 1.2 in the first, 0.8 in the second. */
  static RunHistory epochDrop() {
    return run("epoch-drop", 100, 2, i -> (i <= 20 ? 2.0 - 0.04 * i : 1.2) - (i > 50 ? 0.4 : 0) + wiggle(i, 0.01));
  }

  /** Healthy loss, one gradient norm of 8 at step 60. */
  static RunHistory gradSpike() {
    return run("grad-spike", 200, 1, i -> 0.8 + 1.5 * Math.exp(-i / 15.0) + wiggle(i, 0.02),
        i -> i == 60 ? 8.0 : 1.0 + wiggle(i, 0.05));
  }

  /** Healthy training loss, eval loss that bottoms out at step 60 and climbs. */
  static RunHistory evalRising() {
    RunHistory h = healthy();
    List<EvalPoint> evals = List.of(new EvalPoint(40, 0.2, 1.50), new EvalPoint(80, 0.4, 1.30),
        new EvalPoint(120, 0.6, 1.25), new EvalPoint(160, 0.8, 1.30), new EvalPoint(200, 1.0, 1.40));
    return new RunHistory("eval-rising", "", h.steps(), evals, Map.of());
  }
}
