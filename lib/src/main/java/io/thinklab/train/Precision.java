package io.thinklab.train;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The numbers a run trains in. {@link #FP32}: everything fp32 (the CPU, full training). {@link #FP16}: the frozen
 * base in fp16, the trainable LoRA weights as fp32 masters, the loss scaled so fp16 gradients do not underflow
 * (torch.amp's recipe). A run file may say {@code bf16}, which DJL's PyTorch engine lacks: {@link #forRunFile} maps
 * it to fp16 on a GPU and fp32 on the CPU.
 */
public enum Precision {
  /** Full precision: the base, the activations and the trainable weights in fp32. */
  FP32(DataType.FLOAT32),
  /** Mixed precision: an fp16 base and activations, fp32 trainable masters, dynamic loss scaling. */
  FP16(DataType.FLOAT16);

  private final DataType baseDtype;

  Precision(DataType baseDtype) {
    this.baseDtype = baseDtype;
  }

  /** The dtype the frozen base is loaded and run in. */
  public DataType baseDtype() {
    return baseDtype;
  }

  /** Parses {@code fp32} or {@code fp16} (any case). */
  public static Precision parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("train: precision must be fp32 or fp16 on this engine"
          + " (DJL's PyTorch engine has no bf16), not '" + s + "'");
    }
  }

  /**
   * A run file's {@code train.precision} on this engine: {@code bf16} becomes fp16 on a GPU (frozen base fp16,
   * fp32 LoRA masters, loss scaling) and fp32 on the CPU; {@code fp16} and {@code fp32} stay.
   */
  public static Precision forRunFile(String runPrecision, boolean gpu) {
    if (runPrecision.trim().equalsIgnoreCase("bf16")) {
      return gpu ? FP16 : FP32;
    }
    return parse(runPrecision);
  }

  /** The lower-case name run files use ({@code fp32}, {@code fp16}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return key();
  }
}
