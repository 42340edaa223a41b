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
