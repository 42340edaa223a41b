package io.thinklab.compare;

import java.util.function.ToIntFunction;

/**
 * Token counting for "per 1,000 tokens" figures.
 *
 * <p>Every comparison takes a {@code ToIntFunction<String>} so a real tokenizer can be plugged in; without one
 * it uses {@link #CHARS_OVER_4}, the usual rule of thumb for English text and BPE tokenizers (about four
 * characters per token). Figures made with different counters are not comparable.
 */
public final class Tokens {
  private Tokens() {}

  /** Approximate tokens: characters ÷ 4, rounded up (0 for the empty string). */
  public static final ToIntFunction<String> CHARS_OVER_4 = s -> (s.length() + 3) / 4;
}
