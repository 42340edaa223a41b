package io.thinklab.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.CudaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * Asks the CUDA driver (through JCuda's driver API) which GPUs this machine has, then asks DJL's engine
 * what it sees.
 *
 * <p>Use it before choosing a run file: the notebooks pick tiny/CPU or real/GPU settings from it. The driver
 * API needs only the driver's {@code libcuda.so.1}, no CUDA toolkit. Without a driver JCuda's native library
 * does not load ({@link UnsatisfiedLinkError} the first time, {@link NoClassDefFoundError} after that); with a
 * driver but no device {@code cuInit} fails with a {@link CudaException}. Every one of these ends in a
 * report with no devices and the reason; {@link #probe()} never throws.
 *
 * <pre>{@code
 * GpuReport r = GpuProbe.probe();
 * if (r.hasGpu()) System.out.println(r.devices().get(0).name());
 * }</pre>
 */
public final class GpuProbe {

  /** The first reason JCuda's native library failed to load in this JVM: the JVM will not retry it. */
  private static volatile String cudaLoadFailure;

  /** "NVIDIA UNIX x86_64 Kernel Module  550.54.14 ..." or "... Open Kernel Module for x86_64  580.159.04 ...". */
  private static final Pattern KERNEL_MODULE =
      Pattern.compile("Kernel Module.*?\\s(\\d+\\.\\d+(?:\\.\\d+)?)(?:\\s|$)");
  /** JCuda's load error lists every attempt; the line that matters names the missing shared object. */
  private static final Pattern MISSING_SO =
      Pattern.compile("([\\w.+-]+\\.so[.\\d]*): cannot open shared object file[^\\n]*");

  private GpuProbe() {}

  /** The CUDA devices and what DJL sees (this loads DJL's engine: a few seconds the first time). */
  public static GpuReport probe() {
    return probe(true);
  }

  /**
   * The CUDA devices and, when {@code withDjl}, what DJL's default engine sees.
   *
   * @param withDjl false to skip loading the engine (fast; {@link GpuReport#djl()} then says "not probed")
   */
  public static GpuReport probe(boolean withDjl) {
    String kernelDriver = kernelDriver();
    List<GpuDevice> devices = new ArrayList<>();
    String driverVersion = null;
    String reason = null;
    if (cudaLoadFailure != null) {
      reason = cudaLoadFailure;
    } else {
      try {
        JCudaDriver.setExceptionsEnabled(true);
        int[] v = new int[1];
        JCudaDriver.cuDriverGetVersion(v);   // works before cuInit: a driver without devices still says this
        driverVersion = (v[0] / 1000) + "." + (v[0] % 1000) / 10;
        JCudaDriver.cuInit(0);
        int[] count = new int[1];
        JCudaDriver.cuDeviceGetCount(count);
        for (int i = 0; i < count[0]; i++) {
          devices.add(device(i));
        }
        if (devices.isEmpty()) {
          reason = "the CUDA driver " + driverVersion + " lists no devices";
        }
      } catch (LinkageError e) {
        // UnsatisfiedLinkError (no libcuda.so.1, or no JCuda native for this platform); NoClassDefFoundError
        // if JCudaDriver's static initialiser failed earlier in this JVM
        Matcher m = MISSING_SO.matcher(String.valueOf(e.getMessage()));
        String why = m.find() ? e.getClass().getSimpleName() + ": " + m.group().trim() : describe(e);
        cudaLoadFailure = "no CUDA driver: JCuda's driver library did not load (" + why + ")";
        reason = cudaLoadFailure;
      } catch (CudaException e) {
        devices.clear();
        reason = "the CUDA driver refused: " + describe(e);
      } catch (RuntimeException e) {
        // JCuda's own argument checks throw IllegalArgumentException/NullPointerException: a probe bug,
        // but the probe must still answer
        devices.clear();
        reason = "probing the CUDA driver failed: " + describe(e);
      }
    }
    DjlView djl = withDjl ? probeDjl() : DjlView.skipped();
    return new GpuReport(devices, driverVersion, kernelDriver, reason, djl);
  }

  private static GpuDevice device(int index) {
    CUdevice dev = new CUdevice();
    JCudaDriver.cuDeviceGet(dev, index);
    byte[] buf = new byte[256];
    JCudaDriver.cuDeviceGetName(buf, buf.length, dev);
    int len = 0;
    while (len < buf.length && buf[len] != 0) {
      len++;
    }
    String name = new String(buf, 0, len, StandardCharsets.UTF_8);
    long[] total = new long[1];
    JCudaDriver.cuDeviceTotalMem(total, dev);
    int[] major = new int[1];
    int[] minor = new int[1];
    JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
    JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
    return new GpuDevice(index, name, total[0], freeMemory(dev), major[0] + "." + minor[0]);
  }

  /**
   * Free memory needs a context. The primary context is the one PyTorch (and so DJL) uses too, so
   * retaining it costs nothing extra later; a fresh {@code cuCtxCreate} would hold a few hundred MB.
   */
  private static long freeMemory(CUdevice dev) {
    boolean retained = false;
    try {
      CUcontext ctx = new CUcontext();
      JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev);
      retained = true;
      JCudaDriver.cuCtxSetCurrent(ctx);
      long[] free = new long[1];
      long[] total = new long[1];
      JCudaDriver.cuMemGetInfo(free, total);
      return free[0];
    } catch (RuntimeException e) {   // CudaException, or JCuda's argument checks
      return -1;
    } finally {
      if (retained) {
        try {
          // unbind (JCuda wants an empty handle, not null), then drop our reference to the primary context
          JCudaDriver.cuCtxSetCurrent(new CUcontext());
          JCudaDriver.cuDevicePrimaryCtxRelease(dev);
        } catch (RuntimeException ignored) {
          // releasing is best effort: the process keeps at most one primary context
        }
      }
    }
  }

  /** What DJL's default engine sees; any failure to load it becomes {@link DjlView#error()}. */
  static DjlView probeDjl() {
    int runtimeGpus = 0;
    try {
      runtimeGpus = CudaUtils.getGpuCount();   // DJL's own check (JNA + libcudart); picks the libtorch flavour
    } catch (RuntimeException | LinkageError e) {
      runtimeGpus = 0;
    }
    Engine engine;
    try {
      engine = Engine.getInstance();
    } catch (RuntimeException | LinkageError | AssertionError e) {
      // EngineException (no libtorch, download refused offline, JNI missing), UnsatisfiedLinkError (JNI built
      // against another libtorch), AssertionError (DJL's own "No PyTorch jni version found")
      return new DjlView(null, null, null, null, 0, runtimeGpus, null, describe(e));
    }
    Device device = engine.defaultDevice();
    String libtorch = null;
    if ("PyTorch".equals(engine.getEngineName())) {
      try {
        libtorch = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
      } catch (RuntimeException | LinkageError e) {
        libtorch = null;
      }
    }
    String smoke;
    try (NDManager manager = engine.newBaseManager(device)) {
      NDArray ones = manager.ones(new Shape(64, 64));
      float sum = ones.matMul(ones).sum().getFloat();
      smoke = String.format(Locale.ROOT, "%s: ones(64,64) x ones(64,64) sums to %.0f (expect 262144)",
          device, sum);
    } catch (RuntimeException | LinkageError e) {
      smoke = "failed on " + device + ": " + describe(e);
    }
    return new DjlView(engine.getEngineName(), engine.getVersion(), libtorch, device.toString(),
        engine.getGpuCount(), runtimeGpus, smoke, null);
  }

  /** The NVIDIA kernel module's version (e.g. 580.159.04), or null where /proc does not say. */
  static String kernelDriver() {
    Path p = Path.of("/proc/driver/nvidia/version");
    try {
      if (!Files.isReadable(p)) {
        return null;
      }
      return parseKernelDriver(Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The version number in the text of /proc/driver/nvidia/version, or its first line if none is found. */
  static String parseKernelDriver(String text) {
    Matcher m = KERNEL_MODULE.matcher(text);
    return m.find() ? m.group(1) : text.lines().findFirst().orElse(null);
  }

  /** An exception and its causes on one line: "Type: message <- Type: message". */
  static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    int depth = 0;
    for (Throwable c = t; c != null && depth < 6; c = c.getCause() == c ? null : c.getCause(), depth++) {
      if (depth > 0) {
        sb.append(" <- ");
      }
      String msg = c.getMessage() == null ? "" : c.getMessage().replaceAll("\\s+", " ").trim();
      if (msg.length() > 400) {
        msg = msg.substring(0, 400) + "...";
      }
      sb.append(c.getClass().getSimpleName()).append(msg.isEmpty() ? "" : ": " + msg);
    }
    return sb.toString();
  }
}
