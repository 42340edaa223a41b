package io.thinklab.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.thinklab.curves.CurveFigures;
import io.thinklab.curves.Metrics;
import io.thinklab.curves.RunHistory;
import io.thinklab.generate.TinyModelDir;
import io.thinklab.train.StepReport;
import io.thinklab.train.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveLossChartTest {

  @TempDir
  Path dir;

  /** Records what a chart shows, as the kernel would receive it. */
  static final class Recorder implements NotebookDisplay {
    final List<String> calls = new ArrayList<>();
    Object last;

    @Override
    public String show(Object value) {
      calls.add("show");
      last = value;
      return "chart-1";
    }

    @Override
    public void update(String id, Object value) {
      calls.add("update " + id + " " + ((io.thinklab.curves.AnnotatedFigure) value).notes().size());
      last = value;
    }
  }

  static StepReport step(int n, double loss) {
    return new StepReport(n, n / 6.0, loss, 1e-3, 0.5, 100, 1000, n, 1, false);
  }

  static String js(Object figure) {
    return ((io.thinklab.curves.AnnotatedFigure) figure).asJavascript("chart");
  }

  @Test
  void showsAtTheStartRedrawsEveryFewStepsAndEndsAsTheRunsChart() {
    Recorder screen = new Recorder();
    LiveLossChart chart = LiveLossChart.of("run").redrawEvery(5).showOn(screen);
    List<StepReport> steps = new ArrayList<>();
    chart.onStart(0, 12);
    for (int n = 1; n <= 12; n++) {
      steps.add(step(n, 2.0 / n));
      if (n == 6) {
        chart.onEval(steps.get(n - 1), 0.9); // the held-out loss comes before its step
      }
      chart.onStep(steps.get(n - 1));
    }
    chart.onEnd(steps);
    // shown empty when training starts, then replaced in place after steps 5, 10 and the last (12), not again at the end
    assertEquals(List.of("show", "update chart-1 2", "update chart-1 2", "update chart-1 2"), screen.calls);
    RunHistory expected = new RunHistory("run", "", steps.stream().map(StepReport::curveStep).toList(),
        List.of(new io.thinklab.curves.EvalPoint(6, 1.0, 0.9)), null);
    assertEquals(js(CurveFigures.loss(List.of(expected), 0.8)), js(screen.last), "the final chart");
    assertEquals(js(chart.figure()), js(screen.last));

    // a resume from step 10 keeps steps 1-10 and continues; a run from step 0 starts the chart again
    chart.onStart(10, 12);
    assertEquals(10, chart.history().steps().size());
    chart.onStart(0, 12);
    assertEquals(0, chart.history().steps().size());
    assertEquals(0, chart.history().evals().size());
  }

  @Test
  void drawsNothingOutsideAKernelAndRefusesBadSettings() {
    assertSame(NotebookDisplay.NONE, NotebookDisplay.current(), "no ThinkLab kernel in a test JVM");
    assertThrows(IllegalArgumentException.class, () -> LiveLossChart.of("x").redrawEvery(0));
    assertThrows(IllegalArgumentException.class, () -> LiveLossChart.of("x").smoothing(1));
  }

  /** Trained for real: the live chart ends as the chart of the run's metrics.jsonl, held-out losses included. */
  @Test
  void theLastDrawingIsTheChartOfTheMetricsFile() throws Exception {
    Path base = TinyModelDir.write(dir.resolve("base"), 3);
    TrainConfig cfg = TrainConfig.builder().batch(2, 1).epochs(1).maxSteps(4).lr(1e-2).warmupRatio(0).seed(5)
        .checkpoints(0, 1).build();
    Recorder screen = new Recorder();
    LiveLossChart chart = LiveLossChart.of("tiny").redrawEvery(2).showOn(screen);
    LoraRun.on(base).rows(LoraRunTest.rows(6, 5), 64).config(cfg).evalOn(LoraRunTest.rows(2, 5), 2)
        .addListener(chart).run("tiny", dir.resolve("out"));
    RunHistory fromFile = Metrics.read(dir.resolve("out")).named("tiny");
    assertEquals(2, fromFile.evals().size());
    assertEquals(js(CurveFigures.loss(List.of(fromFile), 0.8)), js(screen.last));
    assertEquals(List.of("show", "update chart-1 2", "update chart-1 2"), screen.calls); // steps 2 and 3 (the last)
  }
}
