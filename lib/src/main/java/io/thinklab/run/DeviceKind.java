package io.thinklab.run;

import java.util.Locale;

/**
 * The devices a run can target, with the two figures the estimates need.
 *
 * <p>Memory is what the device reports as usable (an "80 GB" H100 shows 81,559 MiB); peak is dense throughput
 * in the run's precision: bf16/fp16 tensor cores on GPUs, fp32 FMA on the CPU (2 cores × 3 GHz × 32 FLOP/cycle
 * with AVX2, the lab's VM).
 *
 * @see <a href="https://www.nvidia.com/en-us/data-center/h100/">NVIDIA H100 datasheet</a>
 */
public enum DeviceKind {
  /** NVIDIA H100 SXM 80 GB: 989 TFLOP/s dense bf16, 67 TFLOP/s fp32. */
  H100(81_559L << 20, 989e12, 67e12),
  /** NVIDIA A100 80 GB: 312 TFLOP/s dense bf16, 19.5 TFLOP/s fp32. */
  A100(81_251L << 20, 312e12, 19.5e12),
  /** The lab's CPU: 16 GiB unless the run file says otherwise; about 0.19 TFLOP/s fp32. */
  CPU(16L << 30, 0.19e12, 0.19e12);

  private final long memoryBytes;
  private final double peakHalf;
  private final double peakFp32;

  DeviceKind(long memoryBytes, double peakHalf, double peakFp32) {
    this.memoryBytes = memoryBytes;
    this.peakHalf = peakHalf;
    this.peakFp32 = peakFp32;
  }

  /** Parses h100, a100 or cpu (any case). */
  public static DeviceKind parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("device.type '" + s + "' is not one of h100, a100, cpu");
    }
  }

  /** Usable memory in bytes. */
  public long memoryBytes() {
    return memoryBytes;
  }

  /** Dense peak FLOP/s in {@code precision} (bf16/fp16 use tensor cores; fp32 does not). */
  public double peakFlops(String precision) {
    return "fp32".equals(precision) ? peakFp32 : peakHalf;
  }

  /** Lower-case name. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
