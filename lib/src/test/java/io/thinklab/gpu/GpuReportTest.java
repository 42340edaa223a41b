package io.thinklab.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The report's JSON shape, on hand-made reports (no driver, no engine needed). */
class GpuReportTest {

  static Set<String> keys(JsonNode n) {
    Set<String> s = new TreeSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  @Test
  void jsonWithADeviceHasEveryField() {
    GpuDevice h100 = new GpuDevice(0, "NVIDIA H100 80GB HBM3", 85_520_809_984L, 84_929_413_120L, "9.0");
    DjlView djl = new DjlView("PyTorch", "2.7.1", "/opt/torch/lib", "gpu(0)", 1, 1, "ok", null);
    JsonNode j = new GpuReport(List.of(h100), "13.0", "580.159.04", null, djl).toJson();

    assertEquals(Set.of("gpu", "devices", "driver_version", "kernel_driver", "reason", "djl"), keys(j));
    assertTrue(j.get("gpu").asBoolean());
    assertTrue(j.get("reason").isNull());
    JsonNode d = j.get("devices").get(0);
    assertEquals(Set.of("index", "name", "total_memory_bytes", "free_memory_bytes", "compute_capability"), keys(d));
    assertEquals("NVIDIA H100 80GB HBM3", d.get("name").asText());
    assertEquals(85_520_809_984L, d.get("total_memory_bytes").asLong());   // longs survive: > 2^31
    assertEquals("9.0", d.get("compute_capability").asText());
    assertEquals(Set.of("engine", "engine_version", "libtorch_path", "default_device", "gpu_count",
        "cuda_runtime_gpu_count", "smoke", "error"), keys(j.get("djl")));
    assertEquals("gpu(0)", j.get("djl").get("default_device").asText());
  }

  @Test
  void noGpuReportIsEmptyWithAReason() {
    GpuReport r = GpuReport.noGpu("no CUDA driver: test", null, null, DjlView.skipped());
    assertFalse(r.hasGpu());
    JsonNode j = r.toJson();
    assertFalse(j.get("gpu").asBoolean());
    assertEquals(0, j.get("devices").size());
    assertTrue(j.get("driver_version").isNull());
    assertEquals("no CUDA driver: test", j.get("reason").asText());
    assertEquals("not probed", j.get("djl").get("error").asText());
    assertTrue(r.toText().startsWith("no GPU: no CUDA driver: test"), r.toText());
  }

  @Test
  void kernelDriverVersionFromBothProcFormats() {
    // the proprietary module's line, and the open module's ("Open Kernel Module for x86_64 ..."; on the H200
    // machine of 2026-11-26 a naive "Kernel Module <word>" parse returned "for")
    assertEquals("550.54.14", GpuProbe.parseKernelDriver(
        "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 01:44:30 UTC 2024\n"
            + "GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n"));
    assertEquals("580.159.04", GpuProbe.parseKernelDriver(
        "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build  (dvs-builder@U22)\n"));
  }

  @Test
  void describeJoinsTheCauseChainOnOneLine() {
    Exception e = new IllegalStateException("outer\nline two", new UnsatisfiedLinkError("libcuda.so.1: missing"));
    assertEquals("IllegalStateException: outer line two <- UnsatisfiedLinkError: libcuda.so.1: missing",
        GpuProbe.describe(e));
  }
}
