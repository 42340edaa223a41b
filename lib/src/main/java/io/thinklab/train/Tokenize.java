package io.thinklab.train;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.thinklab.data.FormattedExample;
import io.thinklab.data.Segment;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.diagnose.Policy;
import io.thinklab.model.NextTokenLoss;
import java.util.Arrays;
import java.util.Optional;

/**
 * Formatted text to a {@link Sequence}: token ids plus the completion-only labels, decided by characters.
 *
 * <p>A token is trained when it starts at or after the end of the {@link Segment#PROMPT} span; special tokens
 * the tokenizer inserts (no characters: BOS, an appended EOS) take the side of the token before them, so a
 * leading BOS is masked and a trailing EOS is trained. Deciding by characters rather than by tokenizing the
 * prompt alone stays right when a token straddles the boundary (it is then masked).
 */
public final class Tokenize {
  private Tokenize() {}

  /**
   * The id of each token text (a run file's {@code lora.trainable_tokens}, e.g. {@code <think>}); each must be a
   * single token of this tokenizer, or the error says which is not.
   */
  public static java.util.List<Integer> singleTokenIds(HuggingFaceTokenizer tok, java.util.List<String> texts) {
    java.util.List<Integer> ids = new java.util.ArrayList<>();
    for (String t : texts) {
      long[] enc = tok.encode(t, false, false).getIds();
      if (enc.length != 1) {
        throw new IllegalArgumentException("lora.trainable_tokens: '" + t + "' is " + enc.length
            + " tokens of this tokenizer, not one");
      }
      ids.add((int) enc[0]);
    }
    return ids;
  }

  /**
   * Every row in {@code format}, completion-only, cut at {@code maxLength} tokens ({@link Policy#TRUNCATE}; pass
   * {@link Integer#MAX_VALUE} to keep every token), in order, with the special tokens (BOS) training adds.
   */
  public static java.util.List<Sequence> completionOnly(HuggingFaceTokenizer tok, TrainingFormat format,
                                                        java.util.List<Triplet> rows, int maxLength) {
    return rows.stream().map(t -> completionOnly(tok, format.format(t), maxLength, Policy.TRUNCATE, true)
        .orElseThrow()).toList();
  }

  /**
   * Tokenizes one example with its loss mask.
   *
   * @param addSpecialTokens whether the tokenizer's post-processor adds BOS (as Transformers' default does)
   * @return the sequence, or empty when it is over-long and the policy is {@link Policy#DROP}
   */
  public static Optional<Sequence> completionOnly(HuggingFaceTokenizer tok, FormattedExample ex, int maxLength,
                                                  Policy policy, boolean addSpecialTokens) {
    Encoding enc = tok.encode(ex.text(), addSpecialTokens, false);
    long[] ids = enc.getIds();
    CharSpan[] spans = enc.getCharTokenSpans();
    int completionStart = ex.span(Segment.PROMPT).end();
    long[] labels = new long[ids.length];
    boolean trained = false;
    for (int i = 0; i < ids.length; i++) {
      CharSpan s = spans[i];
      if (s != null && s.getEnd() > s.getStart()) {
        trained = s.getStart() >= completionStart;
      }
      labels[i] = trained ? ids[i] : NextTokenLoss.IGNORE_INDEX;
    }
    if (ids.length > maxLength) {
      switch (policy) {
        case DROP -> {
          return Optional.empty();
        }
        case ERROR -> throw new IllegalArgumentException(ex.id() + ": " + ids.length + " tokens, over max_length "
            + maxLength);
        default -> {
          ids = Arrays.copyOf(ids, maxLength);
          labels = Arrays.copyOf(labels, maxLength);
        }
      }
    }
    return Optional.of(new Sequence(ex.id(), ids, labels));
  }
}
