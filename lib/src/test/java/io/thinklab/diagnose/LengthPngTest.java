package io.thinklab.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LengthPngTest {
  @TempDir
  Path dir;

  @Test
  void drawsTheHistogramWithARedCutoffLine() throws Exception {
    Path png = LengthPng.write(LengthChartsTest.tenRows(), "toy", dir.resolve("sub/h.png"), 600, 300, 500, 1000);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(600, img.getWidth());
    assertEquals(300, img.getHeight());
    int red = 0;
    int blue = 0;
    for (int x = 0; x < img.getWidth(); x++) {
      for (int y = 0; y < img.getHeight(); y++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        red += rgb == 0xff0000 ? 1 : 0;     // the first cutoff's dashed line
        blue += rgb == 0x1f77b4 ? 1 : 0;    // the bars
      }
    }
    assertTrue(red > 50, "red cutoff pixels: " + red);
    assertTrue(blue > 500, "bar pixels: " + blue);
  }
}
