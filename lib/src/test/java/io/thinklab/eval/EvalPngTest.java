package io.thinklab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalPngTest {
  @TempDir
  Path dir;

  /** Counts pixels of one exact colour. */
  static int pixels(BufferedImage img, int rgb) {
    int n = 0;
    for (int x = 0; x < img.getWidth(); x++) {
      for (int y = 0; y < img.getHeight(); y++) {
        n += (img.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
      }
    }
    return n;
  }

  @Test
  void barsAreAsTallAsTheRates() throws Exception {
    EvalResult low = new EvalResult("truncated", 24, 512, 0.125, 0.0, 0.0, 298, 512, 0.04, 1.13);
    EvalResult high = new EvalResult("fixed", 24, 512, 0.5, 0.25, 0.0, 167, 357, 0.25, 1.04);
    Path png = EvalPng.write(EvalResults.of(low, high), "toy", dir.resolve("a.png"), 800, 400);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(800, img.getWidth());
    int red = pixels(img, 0xd62728);   // truncated's bars (and its legend swatch)
    int green = pixels(img, 0x2ca02c); // fixed's bars
    assertTrue(red > 0 && green > 0, red + " / " + green);
    // fixed's bars add up to 75 points of height, truncated's to 12.5: about six times the area
    assertTrue(green > 3 * red, "green " + green + " vs red " + red);
  }
}
