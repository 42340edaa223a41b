package io.thinklab.safetensors;

import ai.djl.ndarray.types.DataType;

/**
 * The element types a safetensors header may name, with their width in bytes.
 *
 * <p>All are recognised when a header is validated; {@link #F32}, {@link #F16} and {@link #BF16} (the
 * floating types model weights use) can be loaded as arrays, and {@link #I64}/{@link #I32} as integer arrays.
 */
public enum Dtype {
  F64(8), F32(4), F16(2), BF16(2), F8_E4M3(1), F8_E5M2(1),
  I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1);

  private final int bytes;

  Dtype(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The dtype named in a header, or null when the name is not a safetensors dtype. */
  public static Dtype parse(String name) {
    for (Dtype d : values()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    return null;
  }

  /**
   * The safetensors dtype that stores a DJL array of this type (a bf16 array, which exists only with the native
   * extension, is stored as its raw bf16 bytes).
   */
  public static Dtype of(DataType type) {
    return switch (type) {
      case FLOAT32 -> F32;
      case FLOAT16 -> F16;
      case BFLOAT16 -> BF16;
      case FLOAT64 -> F64;
      case INT64 -> I64;
      case INT32 -> I32;
      case INT8 -> I8;
      case UINT8 -> U8;
      case BOOLEAN -> BOOL;
      default -> throw new IllegalArgumentException("no safetensors dtype for DJL type " + type);
    };
  }
}
