package io.thinklab.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Models side by side as a static bar chart (PNG, headless): close rate, finish rate and accuracy in percent, one
 * bar per model. For reports and the README, e.g. the truncation ablation's two arms.
 */
public final class EvalPng {
  private EvalPng() {}

  private static final String[] COLORS = {"#d62728", "#2ca02c", "#1f77b4", "#ff7f0e", "#9467bd"};

  /** Writes the chart of {@code results} to {@code out} ({@code width × height}). */
  public static Path write(EvalResults results, String title, Path out, int width, int height) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (EvalResult r : results.results()) {
      data.addValue(100 * r.closeRate(), r.name(), "closes </think>");
      data.addValue(100 * r.finishRate(), r.name(), "finishes (solution + EOS)");
      data.addValue(100 * r.accuracy(), r.name(), "correct answer");
    }
    JFreeChart chart = ChartFactory.createBarChart(title, null, "% of held-out problems", data,
        PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 100);
    BarRenderer r = (BarRenderer) plot.getRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat("0")));
    r.setDefaultItemLabelsVisible(true);
    for (int i = 0; i < data.getRowCount(); i++) {
      r.setSeriesPaint(i, Color.decode(COLORS[i % COLORS.length]));
    }
    BufferedImage img = chart.createBufferedImage(width, height);
    return io.thinklab.curves.PngFile.write(img, out);
  }
}
