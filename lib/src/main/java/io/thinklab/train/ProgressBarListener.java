package io.thinklab.train;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The trainer's progress bar in a terminal: steps done of the stop step, with the last loss and learning rate. */
final class ProgressBarListener implements TrainerListener, AutoCloseable {
  private ProgressBar bar;

  @Override
  public void onStart(int fromStep, int stopStep) {
    bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(stopStep).setStyle(ProgressBarStyle.ASCII)
        .startsFrom(fromStep, Duration.ZERO).build();
  }

  @Override
  public void onStep(StepReport step) {
    bar.step();
    bar.setExtraMessage(String.format(" loss %.4f lr %.2e", step.loss(), step.lr()));
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
