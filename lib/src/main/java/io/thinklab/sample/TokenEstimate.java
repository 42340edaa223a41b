package io.thinklab.sample;

import io.thinklab.data.Triplet;
import io.thinklab.data.TrainingFormat;

/**
 * The token count the sample data is calibrated against, before a real tokenizer is at hand: the characters of
 * the full training sequence in the seed's plain format (with {@code </s>}) divided by 4, rounded up.
 *
 * <p>Four characters per token is a common rule of thumb for English text with BPE tokenizers; the real
 * Nanbeige tokenizer will differ by some percent, so recalibrate {@link LengthTarget} once it is available.
 */
public final class TokenEstimate {
  private TokenEstimate() {}

  /** Characters per estimated token. */
  public static final int CHARS_PER_TOKEN = 4;

  /** Estimated tokens of the whole plain-format sequence (prompt + completion + EOS). */
  public static int fullSequence(Triplet t) {
    return ofChars(TrainingFormat.plain().format(t).text().length());
  }

  /** Estimated tokens of a text of {@code chars} characters. */
  public static int ofChars(int chars) {
    return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }
}
