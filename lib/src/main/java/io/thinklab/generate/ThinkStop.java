package io.thinklab.generate;

/**
 * The seed's inference patch as a rule on generated text: stop at a second {@code </think>}, or at a
 * {@code <think>} that follows a {@code </think>}. The prompt ends with {@code <think>} already, so the
 * completion legitimately holds exactly one {@code </think>} and no {@code <think>}.
 */
public final class ThinkStop {
  private ThinkStop() {}

  public static final String OPEN = "<think>";
  public static final String CLOSE = "</think>";

  /**
   * Where the rule cuts {@code generated}: the index of the second {@code </think>} or of the first
   * {@code <think>} after the first {@code </think>}, whichever comes first; −1 when the rule does not fire.
   */
  public static int cutAt(String generated) {
    int close = generated.indexOf(CLOSE);
    if (close < 0) {
      return -1;
    }
    int after = close + CLOSE.length();
    int second = generated.indexOf(CLOSE, after);
    int reopen = generated.indexOf(OPEN, after);
    if (second < 0) {
      return reopen;
    }
    return reopen < 0 ? second : Math.min(second, reopen);
  }
}
