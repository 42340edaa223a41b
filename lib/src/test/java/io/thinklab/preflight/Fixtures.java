package io.thinklab.preflight;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small stand-in corpora written by tests: rows whose lengths in the tiny word-level tokenizer are known exactly
 * (each word is one token), so truncation counts are golden.
 */
final class Fixtures {
  private Fixtures() {}

  /**
   * A glm-style stand-in: {@code rows} rows, of which every row whose index modulo 100 is below
   * {@code longPercent} has {@code longWords} words of thinking and the others {@code shortWords}.
   * In the plain format with the tiny tokenizer a row has {@code 14 + thinking words - 3} tokens (see
   * DiagnoserTest): short rows of 20 words are 31 tokens, long rows of 60 words are 71.
   */
  static Path glmLike(Path file, int rows, int longPercent, int longWords, int shortWords) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int words = i % 100 < longPercent ? longWords : shortWords;
      lines.add("{\"id\":\"r" + i + "\",\"problem\":\"a b\",\"thinking\":\"" + "a ".repeat(words).strip()
          + "\",\"solution\":\"c\"}");
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
