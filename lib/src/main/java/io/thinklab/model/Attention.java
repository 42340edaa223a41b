package io.thinklab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Scaled dot-product attention, {@code softmax(q·kᵀ/√hd + mask)·v}: each query position takes a weighted average
 * of the value vectors, weighted by how well its query matches each key. The block ({@link LlamaModel}) makes q, k
 * and v and projects the result back; this file is only the mixing.
 *
 * <p>Grouped-query attention (GQA): there are fewer key/value heads than query heads, and each group of
 * {@code nh / nkv} query heads reads the same key/value head (Transformers' {@code repeat_kv} order). Scores are in
 * the model's dtype (as Transformers' eager attention), the softmax in fp32 for stability. With the native extension
 * ({@link NativeOps}) the whole thing is one fused PyTorch kernel.
 */
final class Attention {
  private Attention() {}

  /**
   * Queries (B, nh, T, hd) over keys and values (B, nkv, S, hd) with an additive mask ({@link AttentionMask}):
   * (B, nh, T, hd).
   */
  static NDArray sdpa(NDArray q, NDArray k, NDArray v, NDArray mask) {
    if (NativeOps.enabled()) { // one fused kernel, GQA and mask included
      return NativeOps.attention(q, k, v, mask);
    }
    long hd = q.getShape().get(3);
    int groups = Math.toIntExact(q.getShape().get(1) / k.getShape().get(1));
    NDArray keys = repeatKv(k, groups);                                                       // (B, nh, S, hd)
    NDArray vals = repeatKv(v, groups);                                                       // (B, nh, S, hd)
    NDArray scores = Ops.scale(q.matMul(keys.transpose(0, 1, 3, 2)), 1.0 / Math.sqrt(hd));    // (B, nh, T, S)
    NDArray probs = Ops.softmax(Ops.cast(scores, DataType.FLOAT32).add(mask), -1, DataType.FLOAT32);
    return Ops.cast(probs, q.getDataType()).matMul(vals);                                     // (B, nh, T, hd)
  }

  /** (B, nkv, T, hd) → (B, nkv·g, T, hd): query head j reads key/value head j / g. */
  static NDArray repeatKv(NDArray kv, int g) {
    if (g == 1) {
      return kv;
    }
    Shape s = kv.getShape();
    return kv.expandDims(2).repeat(2, g).reshape(s.get(0), s.get(1) * g, s.get(2), s.get(3));
  }
}
