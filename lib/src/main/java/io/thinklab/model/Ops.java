package io.thinklab.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few tensor operations the model needs that DJL's {@link NDArray} interface does not offer directly,
 * each a single PyTorch kernel, all differentiable.
 *
 * <p>Multiply by constants with {@link #scale}, never {@code NDArray.mul(Number)} on a path that is
 * back-propagated: see there why.
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

  /** SwiGLU, the Llama MLP's gate: {@code silu(gate) · up} with {@code silu(g) = g · sigmoid(g)}. */
  public static NDArray swiglu(NDArray gate, NDArray up) {
    if (NativeOps.enabled()) {
      return NativeOps.swiglu(gate, up);
    }
    return gate.mul(Activation.sigmoid(gate)).mul(up);
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
    if (NativeOps.enabled()) {
      return NativeOps.cast(x, type);
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

  /**
   * A float array as an engine-owned tensor. Why not {@code manager.create(float[])} alone: DJL's PyTorch
   * engine wraps a Java direct buffer without copying, so the tensor's memory is Java's; a copy makes it
   * libtorch's like every other tensor (safe to keep for the life of a model, updated in place, saved by autograd).
   */
  public static NDArray owned(ai.djl.ndarray.NDManager manager, float[] values, ai.djl.ndarray.types.Shape shape) {
    NDArray wrapped = manager.create(values, shape);
    NDArray copy = wrapped.duplicate();
    wrapped.close();
    return copy;
  }

  /**
   * {@code x · s} for a constant s, safe under autograd. Why not DJL's {@code x.mul(s)}: it wraps s in a tensor
   * over a Java buffer and closes it at once, but multiplication saves that tensor for the backward pass; when
   * the garbage collector frees the buffer before the backward, the gradient through this product reads freed
   * memory (usually 0): every gradient upstream silently vanishes for that pass. Here s is an engine-owned
   * tensor, which autograd keeps alive, and a {@link #shared} one: no host scalar is made per call.
   */
  public static NDArray scale(NDArray x, double s) {
    return x.mul(shared(x, s, x.getDataType()));
  }

  /**
   * {@code x + c} for a constant c, as DJL's {@code x.add(c)} computes it (c as a float64 0-d operand, which PyTorch
   * reads as a scalar in x's precision: the same bits), with the operand {@link #shared} instead of made per call.
   */
  public static NDArray plus(NDArray x, double c) {
    return x.add(shared(x, c, DataType.FLOAT64));
  }

  /** {@code 1 / √x}, elementwise, safe under autograd (see {@link #scale}). */
  public static NDArray rsqrt(NDArray x) {
    return x.pow(shared(x, -0.5, x.getDataType()));
  }

  /** A 0-d tensor holding {@code value} in x's dtype and manager, in engine-owned memory. */
  public static NDArray constant(NDArray x, double value) {
    return constant(x.getManager(), x.getDataType(), value);
  }

  /**
   * A 0-d tensor in {@code manager} holding {@code value} in {@code type}, in engine-owned memory: for float64 the
   * double itself, otherwise {@code (float) value} cast to {@code type} (so fp32 and fp16 constants agree with
   * {@link #scale}'s). One host-to-device copy: make it once per step, not per op.
   */
  public static NDArray constant(NDManager manager, DataType type, double value) {
    NDArray wrapped = type == DataType.FLOAT64 ? manager.create(value) : manager.create((float) value);
    // duplicate() is a real copy (clone); toType to the same dtype may hand back the wrapped tensor itself
    NDArray owned = wrapped.getDataType() == type ? wrapped.duplicate() : wrapped.toType(type, true);
    wrapped.close();
    return owned;
  }

  // the constants the model's ops use, by (device, dtype, value): a few per model, kept for the process
  private record Key(Device device, DataType type, long bits) {}

  private static final int SHARED_MAX = 256;
  private static final Map<Key, NDArray> SHARED = new ConcurrentHashMap<>();
  private static final Map<Device, NDManager> SHARED_MANAGERS = new ConcurrentHashMap<>();

  /**
   * The {@link #constant} of {@code value} in {@code type} on x's device, made once and shared by every later call:
   * the forward pass multiplies by the same few constants (1/√hd, the LoRA scaling, −½, RMSNorm's ε) in every layer
   * and step, and a tensor per call is a host allocation (on a GPU an upload) each time. Shared tensors are never
   * written to and never closed (autograd may hold them); past {@value #SHARED_MAX} values (a caller with ever new
   * constants) each call gets a fresh constant in x's manager instead.
   */
  static NDArray shared(NDArray x, double value, DataType type) {
    Key key = new Key(x.getDevice(), type, Double.doubleToLongBits(value));
    NDArray c = SHARED.get(key);
    if (c != null) {
      return c;
    }
    if (SHARED.size() >= SHARED_MAX) {
      return constant(x.getManager(), type, value);
    }
    return SHARED.computeIfAbsent(key, k -> constant(
        SHARED_MANAGERS.computeIfAbsent(k.device(), NDManager::newBaseManager), k.type(), value));
  }

  /** Inverted dropout: zeroes each element with probability {@code rate}, scales survivors by 1/(1−rate). */
  public static NDArray dropout(NDArray x, double rate, boolean training) {
    if (!training || rate == 0) {
      return x;
    }
    return x.getNDArrayInternal().dropout(x, (float) rate, true).singletonOrThrow();
  }
}
