package io.thinklab.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.lora.LoraConfig;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.NativeOps;
import io.thinklab.train.Sequence;
import io.thinklab.train.StepBenchmark;
import io.thinklab.train.StepReport;
import io.thinklab.train.TrainBenchmark;
import io.thinklab.train.TrainConfig;
import io.thinklab.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * ThinkLab's half of the side-by-side benchmark: optimizer steps of the real {@link Trainer} (LoRA as the seed
 * run, r 16, alpha 32, dropout 0.05 on q/k/v/o; fp32; AdamW; clipping 1.0; no gradient checkpointing) on a random
 * model of a named shape, timed as the Trainer times them (collate, forward, loss, backward, clip, update, zero).
 *
 * <p>The peer ({@code environment/peer/peft_step.py}) does the same step in Transformers + PEFT: same shape files
 * (written by {@link #writeShape}), same batch, same sequences (random ids, the first {@code min(128, seq/2)}
 * positions masked as the prompt), same thread count. The first step is a warm-up and is left out of the median.
 *
 * <p>With a profile file, step 2 (the first timed one) runs under libtorch's profiler ({@link JniUtils#startProfile});
 * the Chrome trace it writes lists every native op of one step with its time ({@code environment/peer/op_profile.py}
 * summarises it).
 */
public final class LoraStep {
  private LoraStep() {}

  /** The shapes both sides know, by name. */
  public static final List<String> SHAPES = List.of("tiny-thinker", "smollm2-135m", "nanbeige4-3b");

  /**
   * One side's figures for one shape.
   *
   * @param stepSeconds    every step's seconds, the warm-up first
   * @param secondsPerStep median of the timed steps (the warm-up left out)
   * @param tokensPerS     input tokens per optimizer step / {@code secondsPerStep}
   * @param threads        intra-op threads libtorch used
   * @param cpuSeconds     process CPU seconds of each step after the first (steadier than wall time on a shared
   *                       machine: another job's use of the cores does not count)
   * @param cpuTokensPerS  input tokens per optimizer step / the median of {@code cpuSeconds}
   * @param minorFaults    page faults of the process in each step after the first: memory the allocator handed
   *                       back to the system and took again (each fault a kernel entry and a zeroed page)
   */
  public record Result(String side, String shape, int microBatch, int gradAccum, int seq, int threads,
                       double[] stepSeconds, double secondsPerStep, double tokensPerS, double[] cpuSeconds,
                       double cpuTokensPerS, long[] minorFaults, double[] losses, Map<String, String> versions) {}

  /** The Hugging Face {@code config.json} of a named shape. */
  public static String configJson(String shape) {
    return switch (shape) {
      case "tiny-thinker" -> TrainBenchmark.TINY_THINKER;
      case "smollm2-135m" -> TrainBenchmark.SMOLLM2_135M;
      case "nanbeige4-3b" -> StepBenchmark.NANBEIGE4_3B;
      default -> throw new IllegalArgumentException("unknown shape '" + shape + "': one of " + SHAPES);
    };
  }

  /** The LoRA both sides train: the seed run's. */
  public static LoraConfig lora(String shape) {
    return LoraConfig.seed(shape);
  }

  /** Writes {@code config.json} and {@code adapter_config.json} of {@code shape} into {@code dir}, for the peer. */
  public static void writeShape(String shape, Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("config.json"), configJson(shape).strip() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    lora(shape).write(dir);
  }

  /** Random sequences of {@code seq} ids, the first {@code min(128, seq/2)} masked: the peer draws the same kind. */
  static List<Sequence> data(LlamaConfig config, int count, int seq) {
    List<Sequence> data = new ArrayList<>();
    Random r = new Random(7);
    for (int i = 0; i < count; i++) {
      long[] ids = new long[seq];
      for (int t = 0; t < seq; t++) {
        ids[t] = r.nextInt(config.vocabSize());
      }
      data.add(Sequence.completionOnly("bench-" + i, ids, Math.min(128, seq / 2)));
    }
    return data;
  }

  /**
   * Runs {@code steps} optimizer steps (the first a warm-up) and returns the figures.
   *
   * @param threads libtorch intra-op threads (0 = leave libtorch's setting)
   * @param profile where to write the Chrome trace of step 2, or null
   */
  public static Result run(String shape, int micro, int accum, int seq, int steps, int threads, Path profile) {
    return run(shape, micro, accum, seq, steps, threads, profile, "fp32", false);
  }

  /**
   * The same with the frozen base in {@code precision} (fp32, fp16 on a GPU, or bf16 with the native extension)
   * and gradient checkpointing on or off: the device script's settings for the Nanbeige4-3B shape on a GPU.
   */
  public static Result run(String shape, int micro, int accum, int seq, int steps, int threads, Path profile,
                           String precision, boolean checkpointing) {
    if (steps < 2) {
      throw new IllegalArgumentException("steps must be ≥ 2: the first is a warm-up");
    }
    Device device = Engine.getInstance().defaultDevice(); // loads libtorch before any JniUtils call
    if (threads > 0) {
      JniUtils.setNumThreads(threads);
    }
    LlamaConfig config = LlamaConfig.parse(configJson(shape), shape);
    TrainConfig cfg = TrainConfig.defaults().withPrecision(precision).withBatching(micro, accum).withLr(2e-4)
        .withGradientCheckpointing(checkpointing).withMaxSteps(steps);
    List<Sequence> data = data(config, micro * accum * steps, seq);
    Path out = tempDir();
    try (LlamaModel model = LlamaModel.randomOnDevice(config, cfg.baseDtype(), device, 1);
         LoraAdapter adapter = LoraAdapter.init(config, lora(shape), device, 2)) {
      Trainer trainer = Trainer.lora(model, adapter, data, cfg, out).quiet();
      long[] cpuAt = new long[steps];
      long[] faultsAt = new long[steps];
      // the listener runs after each step's metrics line: CPU time read there; with a profile file, the
      // profiler starts after the warm-up and stops after step 2
      trainer.onStep(s -> {
        if (profile != null && s.step() == 2) {
          JniUtils.stopProfile(profile.toAbsolutePath().toString());
        }
        cpuAt[s.step() - 1] = cpuNanos();
        faultsAt[s.step() - 1] = minorFaults();
        if (profile != null && s.step() == 1) {
          JniUtils.startProfile(device.isGpu(), true, false);
        }
      });
      List<StepReport> done = trainer.run(false);
      long tokens = (long) micro * accum * seq;
      double[] secs = done.stream().mapToDouble(s -> tokens / s.tokensPerS()).toArray();
      double[] losses = done.stream().mapToDouble(StepReport::loss).toArray();
      double median = median(Arrays.copyOfRange(secs, 1, secs.length));
      double[] cpu = new double[steps - 1];
      long[] faults = new long[steps - 1];
      for (int i = 1; i < steps; i++) {
        cpu[i - 1] = (cpuAt[i] - cpuAt[i - 1]) / 1e9;
        faults[i - 1] = faultsAt[i] - faultsAt[i - 1];
      }
      Map<String, String> versions = new LinkedHashMap<>();
      versions.put("java", System.getProperty("java.version"));
      versions.put("djl", Engine.getDjlVersion());
      versions.put("libtorch", Engine.getInstance().getVersion());
      versions.put("device", device.toString());
      versions.put("precision", precision);
      versions.put("gradient_checkpointing", String.valueOf(checkpointing));
      versions.put("native_extension", NativeOps.enabled() ? NativeOps.status().message() : "off");
      return new Result("thinklab", shape, micro, accum, seq, JniUtils.getNumThreads(), secs, median,
          tokens / median, cpu, tokens / median(cpu), faults, losses, versions);
    } finally {
      deleteTree(out);
    }
  }

  /** CPU time of the whole process (libtorch's threads, the JVM's GC and JIT included). */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Minor page faults of this process so far (Linux: /proc/self/stat, field 10), or −1 elsewhere. */
  static long minorFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("thinklab-lorastep");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }
}
