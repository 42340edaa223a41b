package io.thinklab.train;

import ai.djl.ndarray.types.DataType;
import io.thinklab.model.NativeOps;
import java.util.Locale;

/**
 * The numbers a run trains in. {@link #FP32}: everything fp32 (the CPU, full training). {@link #BF16}: the frozen
 * base and the activations in bfloat16 (fp32's range, 8 bits of mantissa), the trainable LoRA weights as fp32 masters;
 * no loss scaling (bf16 gradients do not underflow): what the seed run and TRL use on an H100. It needs ThinkLab's
 * native extension ({@link NativeOps#requireBf16}: DJL 0.36's JNI has no bf16). {@link #FP16}: the same with an fp16
 * base, the loss scaled so fp16 gradients do not underflow (torch.amp's recipe): for a GPU without the extension.
 */
public enum Precision {
  /** Full precision: the base, the activations and the trainable weights in fp32. */
  FP32(DataType.FLOAT32),
  /** Mixed precision: an fp16 base and activations, fp32 trainable masters, dynamic loss scaling. */
  FP16(DataType.FLOAT16),
  /** Mixed precision: a bf16 base and activations, fp32 trainable masters, no loss scaling (needs the extension). */
  BF16(DataType.BFLOAT16);

  private final DataType baseDtype;

  Precision(DataType baseDtype) {
    this.baseDtype = baseDtype;
  }

  /** The dtype the frozen base is loaded and run in. */
  public DataType baseDtype() {
    return baseDtype;
  }

  /** Whether the loss is scaled (fp16 only: its gradients underflow without it). */
  public boolean scalesLoss() {
    return this == FP16;
  }

  /** Parses {@code fp32}, {@code fp16} or {@code bf16} (any case). */
  public static Precision parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("train: precision must be fp32, fp16 or bf16, not '" + s + "'");
    }
  }

  /**
   * A run file's {@code train.precision} on this machine. On the CPU, {@code bf16} becomes fp32 (the lab's CPU runs
   * and figures are fp32). On a GPU, {@code bf16} stays bf16 where the native extension gives DJL bf16 and the card
   * computes in it ({@link NativeOps#bf16Usable}: compute capability 8.0+), and becomes fp16 otherwise (frozen base
   * fp16, fp32 LoRA masters, loss scaling); {@link #bf16Fallback} says why, for the run's log. {@code fp16} and
   * {@code fp32} stay.
   */
  public static Precision forRunFile(String runPrecision, boolean gpu) {
    return forRunFile(runPrecision, gpu, gpu && NativeOps.bf16Usable(ai.djl.Device.gpu()));
  }

  /** {@link #forRunFile(String, boolean)} with the extension's availability given (tests). */
  static Precision forRunFile(String runPrecision, boolean gpu, boolean extension) {
    if (runPrecision.trim().equalsIgnoreCase("bf16")) {
      return !gpu ? FP32 : extension ? BF16 : FP16;
    }
    return parse(runPrecision);
  }

  /**
   * Why a run file's {@code bf16} trains in {@code chosen} here, or null when it trains in bf16: the line a run
   * prints so that it never trains in another precision silently.
   */
  public static String bf16Fallback(Precision chosen, boolean gpu) {
    if (chosen == BF16) {
      return null;
    }
    return gpu ? "the run file says bf16, which DJL's PyTorch engine has only through ThinkLab's native extension ("
        + NativeOps.status().message() + ") and on a card of compute capability 8.0 or more; training in fp16"
        + " (frozen base fp16, fp32 LoRA masters, loss scaling)"
        : "the run file says bf16; training in fp32 on the CPU (the lab's CPU figures are fp32)";
  }

  /** The lower-case name run files use ({@code fp32}, {@code fp16}, {@code bf16}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return key();
  }
}
