package io.thinklab.gpu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * The result of {@link GpuProbe#probe()}: the CUDA devices the driver lists (maybe none, with the reason)
 * and what DJL sees.
 *
 * @param devices       CUDA devices, empty when there is no usable GPU
 * @param driverVersion the CUDA version the driver supports ({@code cuDriverGetVersion}, e.g. {@code 13.0}),
 *                      null without a driver
 * @param kernelDriver  the NVIDIA kernel driver version from {@code /proc/driver/nvidia/version}
 *                      (e.g. {@code 580.159.04}), null if not readable
 * @param reason        why there is no GPU, null when there is one
 * @param djl           what DJL's engine sees
 */
public record GpuReport(List<GpuDevice> devices, String driverVersion, String kernelDriver, String reason,
                        DjlView djl) {

  public GpuReport {
    devices = devices == null ? List.of() : List.copyOf(devices);
    djl = djl == null ? DjlView.skipped() : djl;
  }

  /** A report for a machine without a usable GPU. */
  public static GpuReport noGpu(String reason, String driverVersion, String kernelDriver, DjlView djl) {
    return new GpuReport(List.of(), driverVersion, kernelDriver, reason, djl);
  }

  /** True when at least one CUDA device is usable. */
  public boolean hasGpu() {
    return !devices.isEmpty();
  }

  /**
   * The report as JSON: {@code gpu}, {@code devices} (name, total_memory_bytes, free_memory_bytes,
   * compute_capability, index), {@code driver_version}, {@code kernel_driver}, {@code reason} (null with a
   * GPU) and {@code djl} (engine, engine_version, libtorch_path, default_device, gpu_count,
   * cuda_runtime_gpu_count, smoke, error).
   */
  public ObjectNode toJson() {
    ObjectMapper om = new ObjectMapper();
    ObjectNode root = om.createObjectNode();
    root.put("gpu", hasGpu());
    ArrayNode list = root.putArray("devices");
    for (GpuDevice d : devices) {
      ObjectNode n = list.addObject();
      n.put("index", d.index());
      n.put("name", d.name());
      n.put("total_memory_bytes", d.totalMemoryBytes());
      n.put("free_memory_bytes", d.freeMemoryBytes());
      n.put("compute_capability", d.computeCapability());
    }
    root.put("driver_version", driverVersion);
    root.put("kernel_driver", kernelDriver);
    root.put("reason", reason);
    ObjectNode j = root.putObject("djl");
    j.put("engine", djl.engine());
    j.put("engine_version", djl.engineVersion());
    j.put("libtorch_path", djl.libtorchPath());
    j.put("default_device", djl.defaultDevice());
    j.put("gpu_count", djl.gpuCount());
    j.put("cuda_runtime_gpu_count", djl.cudaRuntimeGpuCount());
    j.put("smoke", djl.smoke());
    j.put("error", djl.error());
    return root;
  }

  /** A few lines for people. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    if (hasGpu()) {
      sb.append(String.format(Locale.ROOT, "CUDA driver %s (kernel driver %s), %d device(s)%n",
          driverVersion, kernelDriver == null ? "?" : kernelDriver, devices.size()));
      for (GpuDevice d : devices) {
        sb.append(String.format(Locale.ROOT, "  gpu(%d) %s  compute %s  %.1f GiB total, %s free%n",
            d.index(), d.name(), d.computeCapability(), d.totalGib(),
            d.freeMemoryBytes() < 0 ? "?" : String.format(Locale.ROOT, "%.1f GiB", d.freeGib())));
      }
    } else {
      sb.append("no GPU: ").append(reason).append(System.lineSeparator());
    }
    if (djl.loaded()) {
      sb.append(String.format(Locale.ROOT, "DJL: %s %s from %s, default device %s, %d GPU(s)%s%n",
          djl.engine(), djl.engineVersion(), djl.libtorchPath(), djl.defaultDevice(), djl.gpuCount(),
          djl.smoke() == null ? "" : ", smoke test: " + djl.smoke()));
    } else {
      sb.append("DJL: ").append(djl.error()).append(System.lineSeparator());
    }
    return sb.toString();
  }
}
