package io.thinklab.diagnose;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.HistogramDataset;

/**
 * The length histogram as a static PNG, drawn headless with JFreeChart: for reports and the README, where an
 * interactive chart cannot go. Same content as {@link LengthCharts#histogram}: full-sequence token lengths, a
 * dashed line per cutoff labelled with the share of examples that lose {@code </think>} there.
 */
public final class LengthPng {
  private LengthPng() {}

  /** Writes the histogram of {@code d} with its cutoffs to {@code out} ({@code width × height}). */
  public static Path write(Diagnosis d, String what, Path out, int width, int height, int... cutoffs) {
    double[] full = Arrays.stream(d.column(ExampleLengths::full)).asDoubleStream().toArray();
    if (full.length == 0) {
      throw new IllegalArgumentException("no examples to draw");
    }
    HistogramDataset data = new HistogramDataset();
    data.addSeries("examples", full, 60);
    String title = cutoffs.length == 0 ? what : LengthCharts.histogramTitle(d, what, cutoffs[0]);
    JFreeChart chart = ChartFactory.createHistogram(title, "tokens (full sequence)", "examples", data,
        PlotOrientation.VERTICAL, false, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
    r.setBarPainter(new StandardXYBarPainter());
    r.setShadowVisible(false);
    r.setSeriesPaint(0, new Color(0x1f77b4));
    for (int i = 0; i < cutoffs.length; i++) {
      CutoffStats s = d.at(cutoffs[i]);
      ValueMarker m = new ValueMarker(cutoffs[i], i == 0 ? Color.RED : Color.DARK_GRAY,
          new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      m.setLabel(String.format(" %d: %.1f %% lose </think>", cutoffs[i],
          100.0 * (s.total() - s.endThinkSurvives()) / Math.max(1, s.total())));
      m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
      m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
      plot.addDomainMarker(m);
    }
    BufferedImage img = chart.createBufferedImage(width, height);
    return io.thinklab.curves.PngFile.write(img, out);
  }
}
