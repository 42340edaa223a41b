package io.thinklab.compare;

import io.thinklab.compare.TeacherComparison.Comparison;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.statistics.HistogramDataset;

/**
 * The length distributions of a {@link Comparison} as one PNG: thinking, solution and ratio histograms side
 * by side, datasets overlaid in translucent colours. Drawn headless with JFreeChart.
 */
public final class ComparePng {
  private ComparePng() {}

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Default image size in pixels. */
  public static final int WIDTH = 1500;
  public static final int HEIGHT = 500;
  static final int BINS = 30;

  /** Writes the histograms to {@code out} at the default size. */
  public static Path write(Comparison c, Path out) {
    return write(c, out, WIDTH, HEIGHT);
  }

  /** Writes the histograms to {@code out} as a {@code width × height} PNG; creates parent folders. */
  public static Path write(Comparison c, Path out, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    int n = CompareFigures.PANELS.size();
    for (int k = 0; k < n; k++) {
      chart(c, CompareFigures.PANELS.get(k)).draw(g,
          new Rectangle2D.Double((double) k * width / n, 0, (double) width / n, height));
    }
    g.dispose();
    return io.thinklab.curves.PngFile.write(img, out);
  }

  static JFreeChart chart(Comparison c, CompareFigures.Panel panel) {
    HistogramDataset data = new HistogramDataset();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (DatasetProfile d : c.datasets()) {
      for (double v : CompareFigures.finite(panel.values().apply(d))) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) {
      lo = 0;
      hi = 1;
    } else if (lo == hi) {
      hi = lo + 1;
    }
    for (DatasetProfile d : c.datasets()) {
      double[] v = CompareFigures.finite(panel.values().apply(d));
      if (v.length > 0) {
        data.addSeries(d.name(), Arrays.copyOf(v, v.length), BINS, lo, hi);
      }
    }
    JFreeChart chart = ChartFactory.createHistogram(panel.title(), panel.axis(), "traces", data,
        PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setForegroundAlpha(0.6f);
    XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
    r.setBarPainter(new StandardXYBarPainter());
    r.setShadowVisible(false);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      r.setSeriesPaint(i, Color.decode(CompareFigures.PALETTE[i % CompareFigures.PALETTE.length]));
    }
    return chart;
  }
}
