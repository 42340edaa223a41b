package io.thinklab.curves;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.plotly.components.Figure;

class CurveFiguresTest {

  @TempDir
  Path dir;

  @Test
  void lossFigureOverlaysRunsWithEpochLinesAndNotesInside() {
    List<RunHistory> runs = List.of(Synthetic.epochDrop(), Synthetic.evalRising());
    AnnotatedFigure f = CurveFigures.loss(runs, 0.9);
    assertEquals(5, f.getTraces().length); // raw + EMA for both, eval for the second
    assertEquals(1, f.lines().size());
    assertEquals(50.5, f.lines().get(0).x());
    assertEquals("epoch 2", f.lines().get(0).label());
    assertEquals(4, f.notes().size());
    assertEquals("right", f.notes().get(1).anchor());
    String js = f.asJavascript("loss");
    // inside the layout literal, so a reader that takes the figure apart as data keeps them
    String layout = js.substring(js.indexOf("var layout = {"), js.indexOf("};", js.indexOf("var layout = {")));
    assertTrue(layout.contains("shapes: [{\"type\":\"line\",\"xref\":\"x\",\"yref\":\"paper\",\"x0\":50.5"), js);
    assertTrue(layout.contains("annotations: [{"), js);
    assertTrue(layout.contains("\"text\":\"epoch-drop start "), js);
  }

  @Test
  void denseEpochLinesAreAllDrawnButOnlySomeLabelled() {
    // 60 epochs of one step each (a few rows, many epochs): 59 lines, labels at least 59 / 12 steps apart
    List<Step> steps = new java.util.ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      steps.add(new Step(i, i, 1.0 / i, 1e-3, 1, 10, 10, i));
    }
    AnnotatedFigure f = CurveFigures.loss(List.of(RunHistory.of("few-rows", steps)), 0.9);
    assertEquals(59, f.lines().size());
    List<AnnotatedFigure.VLine> labelled = f.lines().stream().filter(l -> !l.label().isEmpty()).toList();
    assertEquals(12, labelled.size()); // 1.5, 6.5, …, 56.5
    assertEquals("epoch 2", labelled.get(0).label());
    assertEquals("epoch 7", labelled.get(1).label()); // 1.5 → 6.5: the first line at least 59 / 12 = 4.9 steps on
  }

  @Test
  void nonFiniteLossesAreLeftOutOfTheFigure() {
    RunHistory diverged = RunHistory.of("diverged", List.of(Step.of(1, 2.0), Step.of(2, Double.NaN),
        Step.of(3, 1.5)));
    String js = CurveFigures.loss(List.of(diverged), 0.9).asJavascript("d");
    assertTrue(!js.contains("NaN"), js);
  }

  @Test
  void allFiguresForARunWithEveryField() {
    List<Figure> all = CurveFigures.all(List.of(Synthetic.healthy()), 0.9);
    assertEquals(5, all.size()); // loss, per-epoch, lr, grad norm, tokens/s
    assertEquals(2, all.get(3).getTraces().length); // grad norm and its mean
    for (Figure f : all) {
      assertTrue(f.asJavascript("d").contains("Plotly.newPlot("));
    }
  }

  @Test
  void pngIsWrittenHeadlessAndDecodable() throws Exception {
    Path out = CurvePng.write(List.of(Synthetic.healthy(), Synthetic.spiky()), 0.9, dir.resolve("png/curves.png"),
        640, 480);
    assertTrue(Files.size(out) > 1000);
    BufferedImage img = ImageIO.read(out.toFile());
    assertNotNull(img, "not a decodable PNG");
    assertEquals(640, img.getWidth());
    assertEquals(480, img.getHeight());
  }
}
