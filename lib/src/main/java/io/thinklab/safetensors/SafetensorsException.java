package io.thinklab.safetensors;

import java.nio.file.Path;

/** A safetensors file that cannot be used: the message names the file and what is wrong with it. */
public final class SafetensorsException extends RuntimeException {
  private final Path file;

  public SafetensorsException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }
}
