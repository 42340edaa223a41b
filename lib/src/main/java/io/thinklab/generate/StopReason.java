package io.thinklab.generate;

/** Why a sample stopped: the first rule that fired after a token. */
public enum StopReason {
  /** The model emitted an end-of-sequence token: it finished on its own. */
  EOS,
  /** {@code max_new_tokens} were generated without any other rule firing: the budget ran out. */
  MAX_NEW_TOKENS,
  /**
   * The seed's patch fired: a second {@code </think>}, or a {@code <think>} after {@code </think>}. The model
   * closed its reasoning and then started again: a loop that only a stop rule ends.
   */
  THINK_LOOP,
  /** One of the user's stop strings appeared. */
  STOP_STRING;

  /** The lower-case name used in JSON ({@code eos}, {@code max_new_tokens}, {@code think_loop}, {@code stop_string}). */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
