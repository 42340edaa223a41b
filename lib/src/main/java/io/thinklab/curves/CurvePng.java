package io.thinklab.curves;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Static PNG charts of training runs for reports and the README, drawn headless with JFreeChart.
 *
 * <p>One image, panels sharing the step axis: loss (raw, EMA, eval, epoch boundaries, start/end notes inside
 * the axes), then learning rate, gradient norm and tokens/s when the runs logged them. No display is needed:
 * {@code java.awt.headless} is set to true unless the caller chose otherwise.
 */
public final class CurvePng {
  private CurvePng() {}

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Default image size in pixels. */
  public static final int WIDTH = 1000;
  public static final int HEIGHT = 800;

  /** Writes the chart of these runs to {@code out} at the default size. */
  public static Path write(List<RunHistory> runs, double smoothing, Path out) {
    return write(runs, smoothing, out, WIDTH, HEIGHT);
  }

  /** Writes the chart of these runs to {@code out} as a {@code width × height} PNG; creates parent folders. */
  public static Path write(List<RunHistory> runs, double smoothing, Path out, int width, int height) {
    return save(chart(runs, smoothing), out, width, height);
  }

  /** Saves any JFreeChart as a PNG, creating parent folders. */
  public static Path save(JFreeChart chart, Path out, int width, int height) {
    return PngFile.write(chart.createBufferedImage(width, height), out);
  }

  /** The chart itself, for callers that want to adjust it before saving. */
  public static JFreeChart chart(List<RunHistory> runs, double smoothing) {
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("optimizer step"));
    plot.setGap(12);
    XYPlot loss = lossPlot(runs, smoothing);
    plot.add(loss, 3);
    if (runs.stream().anyMatch(r -> r.has(Step::lr))) {
      plot.add(linePlot(runs, "learning rate", RunHistory::learningRates, false), 1);
    }
    if (runs.stream().anyMatch(r -> r.has(Step::gradNorm))) {
      plot.add(linePlot(runs, "grad norm", RunHistory::gradNorms, true), 1);
    }
    if (runs.stream().anyMatch(r -> r.has(Step::tokensPerS))) {
      plot.add(linePlot(runs, "tokens / s", RunHistory::tokensPerSecond, false), 1);
    }
    double minGap = CurveFigures.labelGap(runs);
    for (RunHistory r : runs) {
      int[] starts = r.epochStartIndices();
      double[] at = r.epochBoundaries();
      int[] epochOf = r.epochOfStep();
      double lastLabelled = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < at.length; k++) {
        ValueMarker m = new ValueMarker(at[k], Color.GRAY, dashed(1f));
        if (at[k] - lastLabelled >= minGap) { // dense boundaries (many short epochs): label only some
          m.setLabel("epoch " + epochOf[starts[k]]);
          lastLabelled = at[k];
        }
        m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        loss.addDomainMarker(m);
      }
    }
    String title = runs.size() == 1 ? "Training curves: " + runs.get(0).name() : "Training curves";
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static XYPlot lossPlot(List<RunHistory> runs, double smoothing) {
    NumberAxis y = new NumberAxis("loss");
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot();
    plot.setRangeAxis(y);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    Font noteFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    for (int i = 0; i < runs.size(); i++) {
      RunHistory r = runs.get(i);
      Color c = Color.decode(CurveFigures.color(i));
      double[] x = r.stepNumbers();
      double[] raw = r.losses();
      double[] ema = r.smoothedLoss(smoothing);
      XYSeriesCollection data = new XYSeriesCollection();
      data.addSeries(series(r.name() + " loss", x, raw));
      data.addSeries(series(r.name() + " EMA " + CurveFigures.num(smoothing), x, ema));
      XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
      renderer.setSeriesPaint(0, new Color(c.getRed(), c.getGreen(), c.getBlue(), 90));
      renderer.setSeriesStroke(0, new BasicStroke(1f));
      renderer.setSeriesPaint(1, c);
      renderer.setSeriesStroke(1, new BasicStroke(2.5f));
      if (!r.evals().isEmpty()) {
        double[] ex = r.evals().stream().mapToDouble(EvalPoint::step).toArray();
        double[] ey = r.evals().stream().mapToDouble(EvalPoint::evalLoss).toArray();
        data.addSeries(series(r.name() + " eval loss", ex, ey));
        renderer.setSeriesPaint(2, c);
        renderer.setSeriesStroke(2, dashed(1.5f));
        renderer.setSeriesShapesVisible(2, true);
      }
      plot.setDataset(i, data);
      plot.setRenderer(i, renderer);
      int first = CurveFigures.firstFinite(raw);
      int last = CurveFigures.lastFinite(ema);
      if (runs.size() > 1) {
        continue; // several runs: one block of start → end notes instead, below
      }
      String prefix = "";
      if (first >= 0) {
        XYTextAnnotation start = new XYTextAnnotation(" " + prefix + "start " + CurveFigures.num(raw[first]),
            x[first], raw[first]);
        start.setTextAnchor(TextAnchor.TOP_LEFT); // text right of and below the start point: inside the axes
        start.setFont(noteFont);
        start.setPaint(c.darker());
        plot.addAnnotation(start);
      }
      if (last >= 0) {
        XYTextAnnotation end = new XYTextAnnotation(prefix + "end " + CurveFigures.num(ema[last]) + " (EMA) ",
            x[last], ema[last]);
        end.setTextAnchor(TextAnchor.BOTTOM_RIGHT); // left of and above the end point: inside the axes
        end.setFont(noteFont);
        end.setPaint(c.darker());
        plot.addAnnotation(end);
      }
    }
    if (runs.size() > 1) {
      // one text block in the top-right corner, inside the axes, where falling curves leave room
      StringBuilder sb = new StringBuilder();
      for (RunHistory r : runs) {
        double[] raw = r.losses();
        double[] ema = r.smoothedLoss(smoothing);
        int first = CurveFigures.firstFinite(raw);
        int last = CurveFigures.lastFinite(ema);
        sb.append(sb.length() == 0 ? "" : "\n").append(r.name()).append(": start ")
            .append(first < 0 ? "-" : CurveFigures.num(raw[first])).append(", end ")
            .append(last < 0 ? "-" : CurveFigures.num(ema[last])).append(" (EMA)");
      }
      TextTitle block = new TextTitle(sb.toString(), noteFont);
      block.setBackgroundPaint(new Color(255, 255, 255, 220));
      block.setTextAlignment(HorizontalAlignment.LEFT);
      block.setPadding(4, 6, 4, 6);
      plot.addAnnotation(new XYTitleAnnotation(0.99, 0.98, block, RectangleAnchor.TOP_RIGHT));
    }
    return plot;
  }

  private static XYPlot linePlot(List<RunHistory> runs, String label,
                                 java.util.function.Function<RunHistory, double[]> field, boolean withMean) {
    NumberAxis y = new NumberAxis(label);
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot();
    plot.setRangeAxis(y);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    for (int i = 0; i < runs.size(); i++) {
      RunHistory r = runs.get(i);
      Color c = Color.decode(CurveFigures.color(i));
      XYSeriesCollection data = new XYSeriesCollection();
      data.addSeries(series(r.name() + " " + label, r.stepNumbers(), field.apply(r)));
      XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
      renderer.setSeriesPaint(0, c);
      renderer.setSeriesVisibleInLegend(0, false);
      plot.setDataset(i, data);
      plot.setRenderer(i, renderer);
      double mean = Stats.mean(field.apply(r), 0, r.steps().size());
      if (withMean && Double.isFinite(mean)) {
        ValueMarker m = new ValueMarker(mean, c, dashed(1f));
        m.setLabel("mean " + CurveFigures.num(mean));
        m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        plot.addRangeMarker(m);
      }
    }
    return plot;
  }

  private static XYSeries series(String key, double[] x, double[] y) {
    XYSeries s = new XYSeries(key, false, true);
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(y[i])) {
        s.add(x[i], y[i]);
      }
    }
    return s;
  }

  private static BasicStroke dashed(float width) {
    return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
  }
}
