package io.thinklab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The causal language model's training loss: next-token cross-entropy, {@code logits[:, t]} scored on the token at
 * {@code t + 1}, summed over the trained positions and computed in fp32 whatever the logits' dtype (as Transformers
 * does). Labels equal to {@link #IGNORE_INDEX} (the prompt, padding) are outside the loss: that is what makes SFT
 * completion-only. Use {@link #sum} in a training step and divide by the trained tokens of the whole accumulated step
 * ({@link #trainedTokens}), so that any split into micro-batches gives the same gradient.
 *
 * <p>{@code loss = −Σ_{t: labels[t+1] ≠ −100} log softmax(logits[t])[labels[t+1]]}
 */
public final class NextTokenLoss {
  private NextTokenLoss() {}

  /** The label that marks a position as outside the loss (prompt, padding), as in Transformers. */
  public static final long IGNORE_INDEX = -100;

  /**
   * Summed next-token cross-entropy over trained positions, in fp32: {@code logits[:, t]} predicts
   * {@code labels[:, t+1]}; labels equal to {@link #IGNORE_INDEX} are skipped. Divide by the number of
   * trained tokens ({@code labels[:, 1:] != −100}) of <em>all</em> accumulated micro-batches for the mean.
   *
   * @param logits (B, T, V) any float dtype
   * @param labels (B, T) INT64 ids, −100 where not trained
   * @return a scalar fp32 array
   */
  public static NDArray sum(NDArray logits, NDArray labels) {
    return alignedSum(logits.get(new NDIndex(":, :-1, :")), labels.get(new NDIndex(":, 1:")));
  }

  /**
   * Summed cross-entropy of already aligned logits (B, T, V) and targets (B, T): position t is scored on
   * {@code targets[:, t]}, skipped where it is −100. The log-softmax is computed in fp32 whatever the logits' dtype.
   */
  public static NDArray alignedSum(NDArray logits, NDArray targets) {
    NDArray trained = targets.neq(IGNORE_INDEX);                                               // (B, T)
    NDArray safe = targets.mul(trained.toType(DataType.INT64, false));                         // -100 -> 0
    NDArray logp = Ops.logSoftmax(logits, -1, DataType.FLOAT32);                               // (B, T, V)
    NDArray picked = logp.gather(safe.expandDims(-1), -1).squeeze(-1);                         // (B, T)
    return picked.mul(trained.toType(DataType.FLOAT32, false)).sum().neg();
  }

  /**
   * The targets of every position, aligned with the logits: {@code out[:, t] = labels[:, t+1]}, the last position
   * {@link #IGNORE_INDEX} (it predicts nothing). Shape (B, T) like the logits' first two axes, so a loss over
   * {@code (hidden[:, a:b], out[:, a:b])} needs no shift: what a fused or sliced head reads.
   */
  public static NDArray alignedTargets(NDArray labels) {
    return labels.get(new NDIndex(":, 1:")).concat(labels.getManager().full(new Shape(labels.getShape().get(0), 1),
        IGNORE_INDEX, DataType.INT64), 1);
  }

  /** Positions {@link #sum} trains on: labels after the first that are not −100. */
  public static long trainedTokens(NDArray labels) {
    return labels.get(new NDIndex(":, 1:")).neq(IGNORE_INDEX).sum().getLong();
  }

  /**
   * Log-probability of each next token: {@code out[b, t] = log softmax(logits[b, t])[ids[b, t+1]]},
   * computed in fp32. Shape (B, T−1). The training loss is minus their masked sum.
   */
  public static NDArray tokenLogProbs(NDArray logits, NDArray ids) {
    long t = logits.getShape().get(1);
    NDArray logp = Ops.logSoftmax(logits.get(new NDIndex(":, :-1, :")), -1, DataType.FLOAT32); // (B, T-1, V)
    NDArray next = ids.get(new NDIndex(":, 1:")).expandDims(-1);                                 // (B, T-1, 1)
    return logp.gather(next, -1).reshape(ids.getShape().get(0), t - 1);
  }
}
