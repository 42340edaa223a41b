package io.thinklab.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Small data files for tests: written into a temp folder, or read from {@code src/test/resources/data}. */
public final class Fixtures {
  private Fixtures() {}

  /** A file under {@code src/test/resources/data}. */
  public static Path resource(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/data/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource data/" + name + " missing", e);
    }
  }

  /** Writes the lines, each followed by a newline, as UTF-8. */
  public static Path jsonl(Path dir, String name, String... lines) {
    return bytes(dir, name, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** A good seed-format row. */
  public static String row(String id, String problem, String thinking, String solution) {
    return "{\"id\":\"" + id + "\",\"problem\":\"" + problem + "\",\"thinking\":\"" + thinking
        + "\",\"solution\":\"" + solution + "\"}";
  }

  public static Path bytes(Path dir, String name, byte[] content) {
    try {
      Path p = dir.resolve(name);
      Files.write(p, content);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path gzip(Path dir, String name, String... lines) {
    try {
      Path p = dir.resolve(name);
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
        out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
