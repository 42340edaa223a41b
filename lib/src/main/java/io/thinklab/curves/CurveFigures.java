package io.thinklab.curves;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Line;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Interactive Plotly figures of training runs (Tablesaw's jsplot), several runs overlaid with a legend.
 *
 * <p>Use {@link #loss(List, double)} first: raw loss, its EMA, eval loss, epoch boundaries and start/end notes
 * inside the axes. The others show what explains a loss curve: {@link #learningRate}, {@link #gradNorm} (with
 * its mean), {@link #throughput}, {@link #epochMeans}. {@link CurvePng} draws the same curves as a PNG.
 */
public final class CurveFigures {
  private CurveFigures() {}

  /** Colours for runs, in order (colour-blind friendly, Okabe and Ito). */
  static final String[] PALETTE = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};

  static final int WIDTH = 820;
  static final int HEIGHT = 440;

  /** The colour of the {@code i}-th run. */
  public static String color(int i) {
    return PALETTE[i % PALETTE.length];
  }

  /** Every figure for these runs, in reading order: loss, per-epoch loss, learning rate, grad norm, tokens/s. */
  public static List<Figure> all(List<RunHistory> runs, double smoothing) {
    List<Figure> out = new ArrayList<>();
    out.add(loss(runs, smoothing));
    out.add(epochMeans(runs));
    if (runs.stream().anyMatch(r -> r.has(Step::lr))) {
      out.add(learningRate(runs));
    }
    if (runs.stream().anyMatch(r -> r.has(Step::gradNorm))) {
      out.add(gradNorm(runs));
    }
    if (runs.stream().anyMatch(r -> r.has(Step::tokensPerS))) {
      out.add(throughput(runs));
    }
    return out;
  }

  /**
   * The loss chart: for each run the raw loss (faint), its debiased EMA (solid), eval loss (markers) when
   * logged, dashed vertical lines at epoch boundaries, and notes with the start loss and the smoothed end loss.
   */
  public static AnnotatedFigure loss(List<RunHistory> runs, double smoothing) {
    List<Trace> traces = new ArrayList<>();
    TreeMap<Double, String> boundaries = new TreeMap<>();
    List<AnnotatedFigure.Note> notes = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      RunHistory r = runs.get(i);
      String c = color(i);
      double[] x = r.stepNumbers();
      double[] ema = r.smoothedLoss(smoothing);
      traces.add(scatter(x, r.losses()).mode(ScatterTrace.Mode.LINE).name(r.name() + " loss")
          .legendGroup(r.name()).opacity(0.35).line(Line.builder().color(c).width(1).build()).build());
      traces.add(scatter(x, ema).mode(ScatterTrace.Mode.LINE)
          .name(r.name() + " EMA " + num(smoothing)).legendGroup(r.name())
          .line(Line.builder().color(c).width(2.5).build()).build());
      if (!r.evals().isEmpty()) {
        double[] ex = r.evals().stream().mapToDouble(EvalPoint::step).toArray();
        double[] ey = r.evals().stream().mapToDouble(EvalPoint::evalLoss).toArray();
        traces.add(scatter(ex, ey).mode(ScatterTrace.Mode.LINE_AND_MARKERS)
            .name(r.name() + " eval loss").legendGroup(r.name())
            .line(Line.builder().color(c).width(1.5).dash(Line.Dash.DASH).build())
            .marker(Marker.builder().color(c).size(8).build()).build());
      }
      double[] epochsAt = r.epochBoundaries();
      int[] starts = r.epochStartIndices();
      int[] epochOf = r.epochOfStep();
      for (int k = 0; k < epochsAt.length; k++) {
        boundaries.putIfAbsent(epochsAt[k], "epoch " + epochOf[starts[k]]);
      }
      int firstIdx = firstFinite(r.losses());
      int lastIdx = lastFinite(ema);
      String prefix = runs.size() > 1 ? r.name() + " " : "";
      if (firstIdx >= 0) {
        notes.add(new AnnotatedFigure.Note(x[firstIdx], r.losses()[firstIdx],
            prefix + "start " + num(r.losses()[firstIdx]), "left", i));
      }
      if (lastIdx >= 0) {
        notes.add(new AnnotatedFigure.Note(x[lastIdx], ema[lastIdx], prefix + "end " + num(ema[lastIdx])
            + " (EMA)", "right", i));
      }
    }
    List<AnnotatedFigure.VLine> lines = new ArrayList<>();
    double minGap = labelGap(runs);
    double lastLabelled = Double.NEGATIVE_INFINITY;
    for (var b : boundaries.entrySet()) { // dense boundaries (many short epochs): label only some, never overlapping
      boolean label = b.getKey() - lastLabelled >= minGap;
      lastLabelled = label ? b.getKey() : lastLabelled;
      lines.add(new AnnotatedFigure.VLine(b.getKey(), label ? b.getValue() : "", "#777777"));
    }
    return new AnnotatedFigure(layout("Training loss", "loss"), lines, notes, traces.toArray(Trace[]::new));
  }

  /**
   * The smallest distance on the step axis between two labelled epoch lines: a twelfth of the steps shown, so
   * labels ("epoch 12") never run into each other when epochs are short.
   */
  static double labelGap(List<RunHistory> runs) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (RunHistory r : runs) {
      if (!r.steps().isEmpty()) {
        lo = Math.min(lo, r.steps().get(0).step());
        hi = Math.max(hi, r.steps().get(r.steps().size() - 1).step());
      }
    }
    return hi > lo ? (hi - lo) / 12 : 0;
  }

  /** The learning rate of each run against the step: warm-up and decay as scheduled. */
  public static Figure learningRate(List<RunHistory> runs) {
    return lines("Learning rate", "learning rate", runs, Step::lr);
  }

  /** Tokens trained per second, against the step. */
  public static Figure throughput(List<RunHistory> runs) {
    return lines("Throughput", "tokens / s", runs, Step::tokensPerS);
  }

  /** The gradient norm of each run, with a dashed horizontal line at its mean. */
  public static Figure gradNorm(List<RunHistory> runs) {
    List<Trace> traces = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      RunHistory r = runs.get(i);
      double[] x = r.stepNumbers();
      traces.add(scatter(x, r.gradNorms()).mode(ScatterTrace.Mode.LINE).name(r.name() + " grad norm")
          .legendGroup(r.name()).line(Line.builder().color(color(i)).width(1.5).build()).build());
      double mean = r.gradNormMean();
      if (Double.isFinite(mean) && x.length > 0) {
        traces.add(ScatterTrace.builder(new double[] {x[0], x[x.length - 1]}, new double[] {mean, mean})
            .mode(ScatterTrace.Mode.LINE).name(r.name() + " mean " + num(mean)).legendGroup(r.name())
            .line(Line.builder().color(color(i)).width(1).dash(Line.Dash.DASH).build()).build());
      }
    }
    return new Figure(layout("Gradient norm", "grad norm"), traces.toArray(Trace[]::new));
  }

  /** The mean loss of each epoch, bars grouped by run: the honest way to compare epochs. */
  public static Figure epochMeans(List<RunHistory> runs) {
    List<Trace> traces = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      List<EpochMean> means = runs.get(i).epochMeans();
      Object[] x = means.stream().map(m -> "epoch " + m.epoch()).toArray();
      double[] y = means.stream().mapToDouble(EpochMean::meanLoss).toArray();
      traces.add(BarTrace.builder(x, y).name(runs.get(i).name())
          .marker(Marker.builder().color(color(i)).build()).build());
    }
    Layout layout = Layout.builder("Mean loss per epoch", "epoch", "mean loss").width(WIDTH).height(HEIGHT)
        .barMode(Layout.BarMode.GROUP).showLegend(true).build();
    return new Figure(layout, traces.toArray(Trace[]::new));
  }

  private static Figure lines(String title, String yTitle, List<RunHistory> runs, ToDoubleFunction<Step> field) {
    List<Trace> traces = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      RunHistory r = runs.get(i);
      double[] y = r.steps().stream().mapToDouble(field).toArray();
      traces.add(scatter(r.stepNumbers(), y).mode(ScatterTrace.Mode.LINE).name(r.name())
          .line(Line.builder().color(color(i)).width(1.5).build()).build());
    }
    return new Figure(layout(title, yTitle), traces.toArray(Trace[]::new));
  }

  /** A scatter builder over the finite points only: JSON has no NaN, and a gap is what a missing value is. */
  private static ScatterTrace.ScatterBuilder scatter(double[] x, double[] y) {
    int n = 0;
    for (double v : y) {
      n += Double.isFinite(v) ? 1 : 0;
    }
    double[] fx = new double[n];
    double[] fy = new double[n];
    for (int i = 0, k = 0; i < y.length; i++) {
      if (Double.isFinite(y[i])) {
        fx[k] = x[i];
        fy[k++] = y[i];
      }
    }
    return ScatterTrace.builder(fx, fy);
  }

  private static Layout layout(String title, String yTitle) {
    return Layout.builder(title).width(WIDTH).height(HEIGHT).showLegend(true)
        .xAxis(Axis.builder().title("optimizer step").build())
        .yAxis(Axis.builder().title(yTitle).build()).build();
  }

  static String num(double v) {
    return Math.abs(v) >= 1e-3 || v == 0 ? String.format(Locale.ROOT, "%.3f", v)
        : String.format(Locale.ROOT, "%.2e", v);
  }

  static int firstFinite(double[] v) {
    for (int i = 0; i < v.length; i++) {
      if (Double.isFinite(v[i])) {
        return i;
      }
    }
    return -1;
  }

  static int lastFinite(double[] v) {
    for (int i = v.length - 1; i >= 0; i--) {
      if (Double.isFinite(v[i])) {
        return i;
      }
    }
    return -1;
  }
}
