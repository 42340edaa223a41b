package io.thinklab.train;

import java.util.ArrayList;
import java.util.List;

/** Several listeners as one: each event goes to every listener, in the order they were added. */
final class Listeners implements TrainerListener {
  private final List<TrainerListener> all = new ArrayList<>();

  Listeners add(TrainerListener l) {
    all.add(l);
    return this;
  }

  @Override
  public void onStart(int fromStep, int stopStep) {
    all.forEach(l -> l.onStart(fromStep, stopStep));
  }

  @Override
  public void onEval(StepReport step, double heldOutLoss) {
    all.forEach(l -> l.onEval(step, heldOutLoss));
  }

  @Override
  public void onStep(StepReport step) {
    all.forEach(l -> l.onStep(step));
  }

  @Override
  public void onEnd(List<StepReport> steps) {
    all.forEach(l -> l.onEnd(steps));
  }
}
