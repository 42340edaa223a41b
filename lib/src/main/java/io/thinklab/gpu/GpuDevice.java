package io.thinklab.gpu;

/**
 * One CUDA device as the driver reports it.
 *
 * @param index             the driver's device ordinal (DJL's {@code gpu(index)})
 * @param name              the marketing name, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param totalMemoryBytes  device memory ({@code cuDeviceTotalMem})
 * @param freeMemoryBytes   memory free right now ({@code cuMemGetInfo} in the primary context), or -1 if
 *                          that context could not be made
 * @param computeCapability major.minor, e.g. {@code 9.0} for Hopper
 */
public record GpuDevice(int index, String name, long totalMemoryBytes, long freeMemoryBytes,
                        String computeCapability) {

  /** Total memory in GiB (2^30 bytes), for printing. */
  public double totalGib() {
    return totalMemoryBytes / (double) (1L << 30);
  }

  /** Free memory in GiB, or -1 when unknown. */
  public double freeGib() {
    return freeMemoryBytes < 0 ? -1 : freeMemoryBytes / (double) (1L << 30);
  }
}
