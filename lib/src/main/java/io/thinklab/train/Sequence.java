package io.thinklab.train;

import io.thinklab.model.NextTokenLoss;
import java.util.Arrays;

/**
 * One training example as tokens: the ids and, per position, the label the loss trains on
 * ({@link NextTokenLoss#IGNORE_INDEX} = −100 on the prompt, so only the completion is learned).
 *
 * @param id     the example's id, for error messages
 * @param ids    token ids
 * @param labels the same ids where trained, −100 where masked; as long as {@code ids}
 */
public record Sequence(String id, long[] ids, long[] labels) {

  public Sequence {
    if (ids.length != labels.length || ids.length < 2) {
      throw new IllegalArgumentException(id + ": needs ≥ 2 tokens and one label per token");
    }
    ids = ids.clone();
    labels = labels.clone();
  }

  /** A sequence trained on every token from {@code promptTokens} on (the completion-only mask). */
  public static Sequence completionOnly(String id, long[] ids, int promptTokens) {
    long[] labels = ids.clone();
    Arrays.fill(labels, 0, Math.min(promptTokens, ids.length), NextTokenLoss.IGNORE_INDEX);
    return new Sequence(id, ids, labels);
  }

  public int length() {
    return ids.length;
  }

  /** Positions the loss trains on: labels after the first one that are not −100. */
  public int trainedTokens() {
    int n = 0;
    for (int i = 1; i < labels.length; i++) {
      n += labels[i] == NextTokenLoss.IGNORE_INDEX ? 0 : 1;
    }
    return n;
  }

  @Override
  public long[] ids() {
    return ids.clone();
  }

  @Override
  public long[] labels() {
    return labels.clone();
  }
}
