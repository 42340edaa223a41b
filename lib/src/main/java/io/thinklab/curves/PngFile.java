package io.thinklab.curves;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writing a headless chart image: one place for the PNG exports of curves, comparisons, lengths and evaluations. */
public final class PngFile {
  private PngFile() {}

  /** Writes {@code img} to {@code out} as a PNG, creating parent folders; an I/O failure names the file. */
  public static Path write(BufferedImage img, Path out) {
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(img, "png", out.toFile())) {
        throw new IOException("no PNG writer available");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(out + ": cannot write PNG: " + e.getMessage(), e);
    }
  }
}
