package io.thinklab.compare;

import io.thinklab.compare.TeacherComparison.Comparison;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.traces.BoxTrace;
import tech.tablesaw.plotly.traces.HistogramTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Plotly figures of a {@link Comparison}: the length distributions of each dataset side by side.
 *
 * <p>{@link #lengths(Comparison)} gives three histograms (thinking tokens, solution tokens, thinking ÷
 * solution), each with one trace per dataset, bars grouped; {@link #boxes(Comparison)} the same three as box
 * plots, which compare medians and tails at a glance. {@link ComparePng} draws the histograms as a PNG.
 */
public final class CompareFigures {
  private CompareFigures() {}

  static final String[] PALETTE = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};

  /** What is plotted: title, axis label and the values. */
  record Panel(String title, String axis, Function<DatasetProfile, double[]> values) {}

  static final List<Panel> PANELS = List.of(
      new Panel("Thinking length", "thinking tokens", DatasetProfile::thinkingLengths),
      new Panel("Solution length", "solution tokens", DatasetProfile::solutionLengths),
      new Panel("Thinking ÷ solution", "ratio", DatasetProfile::ratios));

  /** Three histograms (thinking, solution, ratio), one trace per dataset. */
  public static List<Figure> lengths(Comparison c) {
    List<Figure> out = new ArrayList<>();
    for (Panel p : PANELS) {
      List<Trace> traces = new ArrayList<>();
      for (int i = 0; i < c.datasets().size(); i++) {
        DatasetProfile d = c.datasets().get(i);
        traces.add(HistogramTrace.builder(finite(p.values().apply(d))).name(d.name()).opacity(0.75)
            .marker(Marker.builder().color(PALETTE[i % PALETTE.length]).build()).build());
      }
      Layout layout = Layout.builder(p.title(), p.axis(), "traces").width(560).height(380)
          .barMode(Layout.BarMode.GROUP).showLegend(true).build();
      out.add(new Figure(layout, traces.toArray(Trace[]::new)));
    }
    return out;
  }

  /** Three box plots (thinking, solution, ratio), one box per dataset. */
  public static List<Figure> boxes(Comparison c) {
    List<Figure> out = new ArrayList<>();
    for (Panel p : PANELS) {
      List<Trace> traces = new ArrayList<>();
      for (DatasetProfile d : c.datasets()) {
        double[] v = finite(p.values().apply(d));
        Object[] x = new Object[v.length];
        java.util.Arrays.fill(x, d.name());
        traces.add(BoxTrace.builder(x, v).name(d.name()).build());
      }
      Layout layout = Layout.builder(p.title()).width(560).height(380).showLegend(false)
          .yAxis(Axis.builder().title(p.axis()).build()).build();
      out.add(new Figure(layout, traces.toArray(Trace[]::new)));
    }
    return out;
  }

  static double[] finite(double[] v) {
    return java.util.Arrays.stream(v).filter(Double::isFinite).toArray();
  }
}
