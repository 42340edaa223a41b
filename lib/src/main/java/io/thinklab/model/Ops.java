package io.thinklab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The few tensor operations the model needs that DJL's {@link NDArray} interface does not offer directly,
 * each a single PyTorch kernel, all differentiable.
 *
 * <p>Every result belongs to its <em>first operand's</em> manager, so pass activations (which live in a
 * per-step manager) first and weights second; otherwise each step leaks arrays into the weights' manager.
 */
public final class Ops {
  private Ops() {}

  /** {@code x · wᵀ (+ b)}: a linear layer with Hugging Face's {@code [out, in]} weight layout. */
  public static NDArray linear(NDArray x, NDArray w, NDArray bias) {
    return x.getNDArrayInternal().linear(x, w, bias).singletonOrThrow();
  }

  /** Rows of {@code table} picked by the integer ids in {@code ids}: shape {@code ids.shape + [width]}. */
  public static NDArray embedding(NDArray ids, NDArray table) {
    return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
  }

  /**
   * A cast that keeps the gradient. Why: DJL's {@code toType} runs without autograd, so an fp16 activation
   * cast to fp32 with it would cut the backward pass. A cumulative product over a new axis of length 1 is
   * the identity, and PyTorch's {@code cumprod} takes an output dtype; its backward casts the gradient back.
   */
  public static NDArray cast(NDArray x, DataType type) {
    if (x.getDataType() == type) {
      return x;
    }
    return x.expandDims(-1).cumProd(-1, type).squeeze(-1);
  }

  /** Softmax along {@code axis}, computed and returned in {@code type} (fp32 for stability under fp16). */
  public static NDArray softmax(NDArray x, int axis, DataType type) {
    return JniUtils.softmax((PtNDArray) x, axis, type);
  }

  /** Log-softmax along {@code axis}, computed and returned in {@code type}: the cross-entropy's first half. */
  public static NDArray logSoftmax(NDArray x, int axis, DataType type) {
    return JniUtils.logSoftmax((PtNDArray) x, axis, type);
  }

  /** Inverted dropout: zeroes each element with probability {@code rate}, scales survivors by 1/(1−rate). */
  public static NDArray dropout(NDArray x, double rate, boolean training) {
    if (!training || rate == 0) {
      return x;
    }
    return x.getNDArrayInternal().dropout(x, (float) rate, true).singletonOrThrow();
  }
}
