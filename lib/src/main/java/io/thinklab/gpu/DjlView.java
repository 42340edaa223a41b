package io.thinklab.gpu;

/**
 * What DJL's default engine sees: which engine loaded, on which device it would put new arrays, how many
 * GPUs it counts, and whether a small matrix product actually ran there.
 *
 * <p>DJL's PyTorch engine needs a libtorch and a matching JNI library ({@code libdjl_torch.so}). Offline, or
 * with a libtorch whose version DJL has no JNI for, loading fails; {@code error} then holds the exception
 * chain, one cause per {@code " <- "}.
 *
 * @param engine         engine name ({@code PyTorch}), null if none loaded
 * @param engineVersion  the engine's version (the libtorch version DJL believes it loaded)
 * @param libtorchPath   the folder libtorch was loaded from, null if unknown
 * @param defaultDevice  {@code gpu(0)} or {@code cpu()}
 * @param gpuCount       GPUs the engine counts
 * @param cudaRuntimeGpuCount GPUs DJL's own CUDA runtime check counts (it uses this to pick a libtorch flavour)
 * @param smoke          result of {@code ones(64,64) x ones(64,64)} summed on the default device (262144 when
 *                       right), or null if not tried
 * @param error          why the engine did not load, null when it did
 */
public record DjlView(String engine, String engineVersion, String libtorchPath, String defaultDevice,
                      int gpuCount, int cudaRuntimeGpuCount, String smoke, String error) {

  /** A view for when DJL was not asked (e.g. {@code thinklab gpu --no-djl}). */
  public static DjlView skipped() {
    return new DjlView(null, null, null, null, 0, 0, null, "not probed");
  }

  /** True when an engine loaded. */
  public boolean loaded() {
    return engine != null && error == null;
  }
}
