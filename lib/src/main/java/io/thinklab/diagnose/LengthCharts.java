package io.thinklab.diagnose;

import java.util.Arrays;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Line;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.HistogramTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Tables and Plotly figures of a {@link Diagnosis}, for notebooks: the last expression of a cell renders them.
 *
 * <ul>
 *   <li>{@link #histogram} — full lengths with the cutoffs drawn, the truncated share in the title (the seed's plot,
 *       on the whole corpus);</li>
 *   <li>{@link #survival} — the share keeping {@code </think>}, keeping EOS and not cut, against the cutoff;</li>
 *   <li>{@link #stacked} — prompt, thinking and solution tokens of examples in length order;</li>
 *   <li>{@link #perCutoff} and {@link #lengths} — the numbers behind them.</li>
 * </ul>
 */
public final class LengthCharts {

  private LengthCharts() {}

  /** One row per reported cutoff: the seed's counts and percentages, both-markers survival, tokens and padding. */
  public static Table perCutoff(Diagnosis d) {
    Table t = Table.create("per cutoff",
        IntColumn.create("cutoff"), IntColumn.create("full truncated"), DoubleColumn.create("full truncated %"),
        IntColumn.create("completion > cutoff"), DoubleColumn.create("</think> kept %"),
        DoubleColumn.create("EOS kept %"), DoubleColumn.create("both kept %"), LongColumn.create("tokens/epoch"),
        DoubleColumn.create("padding waste %"));
    for (CutoffStats s : d.perCutoff().values()) {
      t.intColumn(0).append(s.cutoff());
      t.intColumn(1).append(s.fullTruncated());
      t.doubleColumn(2).append(s.pct(s.fullTruncated()));
      t.intColumn(3).append(s.completionTruncated());
      t.doubleColumn(4).append(s.pct(s.endThinkSurvives()));
      t.doubleColumn(5).append(s.pct(s.eosSurvives()));
      t.doubleColumn(6).append(s.pct(s.bothSurvive()));
      t.longColumn(7).append(s.tokensPerEpoch());
      t.doubleColumn(8).append(LengthSummary.round2(100 * s.paddingWaste()));
    }
    return t;
  }

  /** One row per example: id and every length and position. */
  public static Table lengths(Diagnosis d) {
    StringColumn id = StringColumn.create("id");
    for (ExampleLengths e : d.examples()) {
      id.append(e.id());
    }
    return Table.create("lengths", id,
        IntColumn.create("prompt", d.column(ExampleLengths::prompt)),
        IntColumn.create("thinking", d.column(ExampleLengths::thinking)),
        IntColumn.create("solution", d.column(ExampleLengths::solution)),
        IntColumn.create("completion", d.column(ExampleLengths::completion)),
        IntColumn.create("full", d.column(ExampleLengths::full)),
        IntColumn.create("</think> at", d.column(ExampleLengths::endThinkAt)),
        IntColumn.create("EOS at", d.column(ExampleLengths::eosAt)));
  }

  /** The histogram title: {@code "… : 78.8 % cut at 2048"} for the first cutoff. */
  public static String histogramTitle(Diagnosis d, String what, int cutoff) {
    CutoffStats s = d.at(cutoff);
    return String.format("%s: %,d examples, %.1f %% cut at %d, %.1f %% lose </think>", what, d.total(),
        100.0 * s.fullTruncated() / Math.max(1, s.total()), cutoff,
        100.0 * (s.total() - s.endThinkSurvives()) / Math.max(1, s.total()));
  }

  /** Full-length histogram with a dashed vertical line at each cutoff; the first cutoff's cut share in the title. */
  public static Figure histogram(Diagnosis d, String what, int... cutoffs) {
    double[] full = Arrays.stream(d.column(ExampleLengths::full)).asDoubleStream().toArray();
    HistogramTrace hist = HistogramTrace.builder(full).nBinsX(60).name("examples").build();
    Trace[] traces = new Trace[cutoffs.length + 1];
    traces[0] = hist;
    double top = Math.max(1, d.total() / 8.0);
    for (int i = 0; i < cutoffs.length; i++) {
      traces[i + 1] = ScatterTrace.builder(new double[] {cutoffs[i], cutoffs[i]}, new double[] {0, top})
          .mode(ScatterTrace.Mode.LINE).name("cutoff " + cutoffs[i])
          .line(Line.builder().dash(Line.Dash.DASH).color(i == 0 ? "red" : "gray").width(2).build()).build();
    }
    Layout layout = Layout.builder().title(cutoffs.length == 0 ? what : histogramTitle(d, what, cutoffs[0]))
        .xAxis(Axis.builder().title("tokens (full sequence)").build())
        .yAxis(Axis.builder().title("examples").build()).height(420).width(800).build();
    return new Figure(layout, traces);
  }

  /** Share of examples keeping {@code </think>}, keeping EOS and not cut, for cutoffs from 0 to the longest. */
  public static Figure survival(Diagnosis d) {
    int max = Math.max(1, d.fullSummary().max());
    int points = 100;
    double[] x = new double[points + 1];
    double[] think = new double[points + 1];
    double[] eos = new double[points + 1];
    double[] whole = new double[points + 1];
    int[] endThink = d.column(ExampleLengths::endThinkAt);
    int[] eosAt = d.column(ExampleLengths::eosAt);
    int[] full = d.column(ExampleLengths::full);
    for (int i = 0; i <= points; i++) {
      int c = (int) Math.round((double) max * i / points);
      x[i] = c;
      think[i] = share(endThink, c, true);
      eos[i] = share(eosAt, c, true);
      whole[i] = share(full, c, false);
    }
    Layout layout = Layout.builder().title("What survives a cutoff (" + d.total() + " examples)")
        .xAxis(Axis.builder().title("cutoff (max_length, tokens)").build())
        .yAxis(Axis.builder().title("% of examples").range(0, 100).build()).height(420).width(800).build();
    return new Figure(layout,
        ScatterTrace.builder(x, think).mode(ScatterTrace.Mode.LINE).name("</think> kept").build(),
        ScatterTrace.builder(x, eos).mode(ScatterTrace.Mode.LINE).name("EOS kept").build(),
        ScatterTrace.builder(x, whole).mode(ScatterTrace.Mode.LINE).name("not cut").build());
  }

  /** % of examples with a position (or length) below {@code c}; positions of -1 never count. */
  private static double share(int[] values, int c, boolean position) {
    int n = 0;
    for (int v : values) {
      n += (position ? v >= 0 && v < c : v <= c) ? 1 : 0;
    }
    return values.length == 0 ? 0 : 100.0 * n / values.length;
  }

  /** Stacked prompt / thinking / solution tokens of up to {@code maxBars} examples, evenly spaced in length order. */
  public static Figure stacked(Diagnosis d, int maxBars) {
    List<ExampleLengths> sorted = d.examples().stream()
        .sorted((a, b) -> Integer.compare(a.full(), b.full())).toList();
    int n = Math.min(maxBars, sorted.size());
    Object[] rank = new Object[n];
    double[] prompt = new double[n];
    double[] thinking = new double[n];
    double[] solution = new double[n];
    for (int i = 0; i < n; i++) {
      ExampleLengths e = sorted.get(n == 1 ? 0 : (int) Math.round((sorted.size() - 1.0) * i / (n - 1)));
      rank[i] = String.format("%03d", i);
      prompt[i] = e.prompt();
      thinking[i] = e.thinking();
      solution[i] = e.solution();
    }
    Layout layout = Layout.builder().title("Where the tokens go: " + n + " examples in length order")
        .barMode(Layout.BarMode.STACK).xAxis(Axis.builder().title("example (shortest to longest)").build())
        .yAxis(Axis.builder().title("tokens").build()).height(420).width(800).build();
    return new Figure(layout,
        BarTrace.builder(rank, prompt).name("prompt").build(),
        BarTrace.builder(rank, thinking).name("thinking").build(),
        BarTrace.builder(rank, solution).name("solution").build());
  }
}
