package io.thinklab.generate;

import java.io.PrintStream;

/**
 * Receives tokens as they are produced: the streaming hook. In a terminal print the text; in a notebook call
 * {@code updateDisplay(id, …)} with the text so far.
 */
@FunctionalInterface
public interface TokenListener {

  /**
   * Called once per generated token, in order.
   *
   * @param sample the prompt's index in the batch
   * @param id     the token id
   * @param text   the new text this token completed (may be empty while a multi-byte character is partial)
   */
  void onToken(int sample, long id, String text);

  /** Prints sample 0's text to {@code out} as it comes (flushing each piece). */
  static TokenListener print(PrintStream out) {
    return (sample, id, text) -> {
      if (sample == 0 && !text.isEmpty()) {
        out.print(text);
        out.flush();
      }
    };
  }

  /**
   * Hands {@code onText} each sample's whole text so far after every token: what a notebook cell needs to
   * refresh one display, e.g. {@code TokenListener.textSoFar((i, text) -> updateDisplay("gen" + i, text))}.
   */
  static TokenListener textSoFar(java.util.function.BiConsumer<Integer, String> onText) {
    java.util.Map<Integer, StringBuilder> texts = new java.util.HashMap<>();
    return (sample, id, text) -> {
      StringBuilder sb = texts.computeIfAbsent(sample, k -> new StringBuilder());
      sb.append(text);
      onText.accept(sample, sb.toString());
    };
  }

  /** A listener that does nothing. */
  static TokenListener none() {
    return (sample, id, text) -> { };
  }
}
