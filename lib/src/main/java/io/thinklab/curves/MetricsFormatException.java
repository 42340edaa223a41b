package io.thinklab.curves;

import java.nio.file.Path;

/** A metrics file that cannot be read: the message names the file, the line and the reason. */
public final class MetricsFormatException extends IllegalArgumentException {
  private final Path file;
  private final long line;

  MetricsFormatException(Path file, long line, String reason) {
    super(file + ":" + line + ": " + reason);
    this.file = file;
    this.line = line;
  }

  /** The file that failed. */
  public Path file() {
    return file;
  }

  /** The 1-based line of the bad entry. */
  public long line() {
    return line;
  }
}
