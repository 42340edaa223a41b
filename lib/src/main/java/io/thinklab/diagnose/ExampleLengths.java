package io.thinklab.diagnose;

/**
 * The token counts of one formatted example and where its two stop signals sit.
 *
 * <p>Meanings follow the seed's {@code token_length_analysis.json}: {@code full} is prompt + completion encoded
 * together with the tokenizer's own special tokens (BOS when it adds one); {@code completion} is the completion
 * alone without special tokens (it ends in the EOS token's text); {@code prompt = full - completion}. Thinking
 * and solution are the tokens between {@code <think>} and {@code </think>}, and between {@code </think>} and EOS
 * (the newlines around the markers included). A position is the 0-based token index in the full sequence, -1
 * when the marker is absent; for a marker the tokenizer splits into several tokens, it is the one that completes
 * the marker. A marker survives a cutoff {@code c} when its index is below {@code c}.
 *
 * @param id         the example's id
 * @param prompt     tokens before the completion (BOS included)
 * @param thinking   tokens between {@code <think>} and {@code </think>}
 * @param solution   tokens between {@code </think>} and EOS
 * @param completion tokens of the completion alone
 * @param full       tokens of the whole training sequence
 * @param endThinkAt index of the last {@code </think>}, or -1
 * @param eosAt      index of the last EOS token, or -1
 */
public record ExampleLengths(String id, int prompt, int thinking, int solution, int completion, int full,
                             int endThinkAt, int eosAt) {

  /** Lengths known only in total, as the seed published them: EOS is the last token, {@code </think>} unknown. */
  public static ExampleLengths ofTotals(String id, int full, int completion) {
    return new ExampleLengths(id, full - completion, 0, 0, completion, full, -1, full - 1);
  }

  /** True when a {@code cutoff}-token window cuts this example. */
  public boolean truncatedAt(int cutoff) {
    return full > cutoff;
  }

  /** True when the last {@code </think>} lies inside the first {@code cutoff} tokens. */
  public boolean keepsEndThink(int cutoff) {
    return endThinkAt >= 0 && endThinkAt < cutoff;
  }

  /** True when the EOS token lies inside the first {@code cutoff} tokens. */
  public boolean keepsEos(int cutoff) {
    return eosAt >= 0 && eosAt < cutoff;
  }

  /** True when both stop signals survive: the model sees the reasoning close and the answer end. */
  public boolean keepsBoth(int cutoff) {
    return keepsEndThink(cutoff) && keepsEos(cutoff);
  }

  /**
   * The smallest cutoff that keeps {@code </think>}, or {@link Integer#MAX_VALUE} when the example has none: a
   * sequence cut below it never shows the model its reasoning being closed.
   */
  public int endThinkCutoff() {
    return endThinkAt < 0 ? Integer.MAX_VALUE : endThinkAt + 1;
  }

  /** The smallest cutoff that keeps both markers, or {@link Integer#MAX_VALUE} when one is missing. */
  public int neededCutoff() {
    return endThinkAt < 0 || eosAt < 0 ? Integer.MAX_VALUE : Math.max(endThinkAt, eosAt) + 1;
  }
}
