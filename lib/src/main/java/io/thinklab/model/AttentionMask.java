package io.thinklab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The attention mask: which keys each query may look at, as a number added to the attention scores before the
 * softmax. 0 where a query may look; a huge negative number where it may not, so that key's weight becomes 0.
 *
 * <p>Two rules make a key invisible to a query:
 * <ul>
 *   <li><b>causal</b>: the key comes later in the sequence than the query (a language model must not read the
 *       token it is predicting);</li>
 *   <li><b>padding</b>: the key is padding, put there only to make the rows of a batch equally long.</li>
 * </ul>
 *
 * <pre>
 *   3 queries, 3 keys, no cache, nothing padded       (0 = may look, − = may not)
 *             key 0  key 1  key 2
 *   query 0     0      −      −
 *   query 1     0      0      −
 *   query 2     0      0      0
 * </pre>
 *
 * <p>When decoding with a {@link KvCache}, the new queries come after {@code past} cached positions: query i sits
 * at position {@code past + i} and sees every cached key plus the new keys up to itself. One mask serves every
 * layer of a forward pass; {@link LlamaModel} builds it once per call.
 */
final class AttentionMask {
  private AttentionMask() {}

  /**
   * The additive mask (B or 1, 1, T, S + T) for T new queries after {@code past} cached positions (S = past):
   * query i (absolute position past + i) sees key j when j ≤ past + i and key j is not padding. fp32, whatever the
   * model dtype, because the softmax runs in fp32.
   *
   * @param keyMask (B, S + T) 1 for real tokens, 0 for padding; null when nothing is padded
   */
  static NDArray additive(NDManager sm, long past, long t, NDArray keyMask) {
    NDArray q = sm.arange(past, past + t, 1, DataType.INT64).reshape(t, 1);               // (T, 1)
    NDArray k = sm.arange(0, past + t, 1, DataType.INT64).reshape(1, past + t);           // (1, S+T)
    NDArray blocked = k.gt(q).reshape(1, 1, t, past + t);                                   // (1, 1, T, S+T) j > i
    if (keyMask != null) {
      blocked = blocked.logicalOr(keyMask.eq(0).reshape(keyMask.getShape().get(0), 1, 1, past + t)); // (B, 1, T, S+T)
    }
    // -max float, not -inf: a row with every key masked (a left-padding query) stays finite (uniform).
    NDArray mask = blocked.toType(DataType.FLOAT32, false).mul(-Float.MAX_VALUE);
    return keyMask == null && past == 0 ? NativeOps.markCausal(mask) : mask; // a fused attention may skip it
  }
}
