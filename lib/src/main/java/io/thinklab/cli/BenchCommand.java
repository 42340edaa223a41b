package io.thinklab.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.thinklab.data.FormattedExample;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.diagnose.Diagnoser;
import io.thinklab.diagnose.Diagnosis;
import io.thinklab.diagnose.ExampleLengths;
import io.thinklab.tokens.Tokenizer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code thinklab bench tokens}: tokens per second of the diagnosis against the bare Rust batch-encode-ids loop on
 * the same texts in the same run, and the diagnosis's peak heap when it streams the file. A benchmark, not a test:
 * figures go to the README's Performance table with the machine they came from.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (figures for the README).",
    subcommands = {BenchCommand.Tokens.class, BenchCommand.Step.class})
final class BenchCommand implements Runnable {

  @Override
  public void run() {
    System.out.println("usage: thinklab bench tokens <corpus.jsonl[.gz]> [--tokenizer DIR]");
    System.out.println("       thinklab bench step --shape tiny-thinker|smollm2-135m [--micro N --seq T --steps S]");
  }

  @Command(name = "step", mixinStandardHelpOptions = true,
      description = "One side of `environment/lab bench train`: ThinkLab's LoRA training step on a random model of a"
          + " named shape; prints one JSON line (tokens/s, step seconds). --write-shape writes the shape for the peer.")
  static final class Step implements Callable<Integer> {

    @Option(names = "--shape", required = true, description = "tiny-thinker, smollm2-135m or nanbeige4-3b")
    String shape;

    @Option(names = "--micro", defaultValue = "4", description = "sequences per micro-batch; default ${DEFAULT-VALUE}")
    int micro;

    @Option(names = "--accum", defaultValue = "1", description = "micro-batches per step; default ${DEFAULT-VALUE}")
    int accum;

    @Option(names = "--seq", defaultValue = "256", description = "tokens per sequence; default ${DEFAULT-VALUE}")
    int seq;

    @Option(names = "--steps", defaultValue = "4", description = "optimizer steps, the first a warm-up")
    int steps;

    @Option(names = "--threads", defaultValue = "0", description = "libtorch threads (0: libtorch's choice)")
    int threads;

    @Option(names = "--profile", description = "write the Chrome trace of step 2 here")
    Path profile;

    @Option(names = "--write-shape", description = "only write config.json + adapter_config.json into this folder")
    Path writeShape;

    @Option(names = "--precision", defaultValue = "fp32",
        description = "the frozen base: fp32, fp16 (a GPU) or bf16 (needs the native extension)")
    String precision;

    @Option(names = "--checkpointing", description = "gradient checkpointing (the GPU runs')")
    boolean checkpointing;

    @Override
    public Integer call() throws Exception {
      if (writeShape != null) {
        io.thinklab.bench.LoraStep.writeShape(shape, writeShape);
        return 0;
      }
      var r = io.thinklab.bench.LoraStep.run(shape, micro, accum, seq, steps, threads, profile, precision,
          checkpointing);
      System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(r));
      return 0;
    }
  }

  @Command(name = "tokens", mixinStandardHelpOptions = true,
      description = "Diagnosis path vs bare batch-encode-ids loop, tokens/s; peak heap of the streaming diagnosis.")
  static final class Tokens implements Callable<Integer> {

    @Parameters(arity = "1", description = "JSONL corpus (.jsonl or .jsonl.gz)")
    Path corpus;

    @Option(names = "--tokenizer", defaultValue = "data/tokenizers/qwen3", description = "default ${DEFAULT-VALUE}")
    String tokenizer;

    @Option(names = "--batch", defaultValue = "256", description = "texts per native call; default ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--repeat", defaultValue = "2", description = "timed passes of each path (best kept)")
    int repeat;

    @Option(names = "--with-encoding", description = "also time DJL's HuggingFaceTokenizer.batchEncode (slow)")
    boolean withEncoding;

    @Option(names = "--stream-only", description = "only the streaming diagnosis and its peak heap (big corpora)")
    boolean streamOnly;

    @Override
    public Integer call() throws Exception {
      System.out.printf("cores %d, max heap %d MiB, corpus %s%n", Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20, corpus);
      try (Tokenizer tok = Tokenizer.resolve(tokenizer)) {
        TrainingFormat format = TrainingFormat.plain(tok.eosToken());
        Diagnoser warm = Diagnoser.builder().setTokenizer(tok).optFormat(format).optBatchSize(batch).build();

        // 1. the diagnosis as the CLI runs it: streaming from the file, peak heap measured
        gcAndResetPeaks();
        LiveHeap live = LiveHeap.watch();
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        Diagnosis streamed = warm.diagnose(DiagnoseCommand.rows(List.of(corpus)), Diagnosis.DEFAULT_CUTOFFS);
        double streamSec = (System.nanoTime() - t0) / 1e9;
        long peak = peakHeap();
        long livePeak = live.peak();
        long tokens = 0;
        for (ExampleLengths e : streamed.examples()) {
          tokens += e.full();
        }
        double streamCpu = (cpuNanos() - c0) / 1e9;
        System.out.printf("streaming diagnosis (read + parse + format + encode + stats): %,d rows, %,d tokens,"
            + " %.1f s, %.3f M tokens/s (%.3f M per CPU-second); heap: peak %d MiB in use, at most %d MiB live"
            + " after a GC (%d GCs)%n", streamed.total(), tokens, streamSec, tokens / streamSec / 1e6,
            tokens / streamCpu / 1e6, peak >> 20, livePeak >> 20, live.count());
        if (streamOnly) {
          return 0;
        }

        // 2. same texts in memory: the diagnosis path vs the bare loop, alternating, best of `repeat`
        List<FormattedExample> examples = new ArrayList<>();
        for (Triplet t : DiagnoseCommand.rows(List.of(corpus))) {
          examples.add(format.format(t));
        }
        List<String> texts = examples.stream().map(FormattedExample::text).toList();
        double bare = 0;
        double diag = 0;
        double bareCpu = 0;
        double diagCpu = 0;
        for (int r = 0; r < repeat; r++) {
          long bc = cpuNanos();
          long b0 = System.nanoTime();
          long n = 0;
          for (int i = 0; i < texts.size(); i += batch) {
            for (int c : tok.batchCounts(texts.subList(i, Math.min(texts.size(), i + batch)), true)) {
              n += c;
            }
          }
          bare = Math.max(bare, n / ((System.nanoTime() - b0) / 1e9));
          bareCpu = Math.max(bareCpu, n / ((cpuNanos() - bc) / 1e9));
          Diagnoser d = Diagnoser.builder().setTokenizer(tok).optFormat(format).optBatchSize(batch).build();
          long dc = cpuNanos();
          long d0 = System.nanoTime();
          Diagnosis res = d.diagnoseFormatted(examples, Diagnosis.DEFAULT_CUTOFFS);
          res.toJson();
          diag = Math.max(diag, n / ((System.nanoTime() - d0) / 1e9));
          diagCpu = Math.max(diagCpu, n / ((cpuNanos() - dc) / 1e9));
        }
        System.out.printf("bare Rust batch-encode-ids loop: %.3f M tokens/s (%.3f M per CPU-second)%n", bare / 1e6,
            bareCpu / 1e6);
        System.out.printf("diagnosis path (format done, encode + positions + stats): %.3f M tokens/s (%.3f M per"
            + " CPU-second), ratio %.2f wall, %.2f CPU%n", diag / 1e6, diagCpu / 1e6, diag / bare, diagCpu / bareCpu);
        if (withEncoding) {
          try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder()
              .optTokenizerPath(Path.of(tokenizer).resolve("tokenizer.json"))
              .optTruncation(false).optPadding(false).build()) {
            long e0 = System.nanoTime();
            long ec = cpuNanos();
            long n = 0;
            for (int i = 0; i < texts.size(); i += batch) {
              for (var enc : hf.batchEncode(texts.subList(i, Math.min(texts.size(), i + batch)))) {
                n += enc.getIds().length;
              }
            }
            System.out.printf("DJL HuggingFaceTokenizer.batchEncode (full Encoding objects): %.3f M tokens/s (%.3f M"
                + " per CPU-second)%n", n / ((System.nanoTime() - e0) / 1e9) / 1e6, n / ((cpuNanos() - ec) / 1e9) / 1e6);
          }
        }
      }
      return 0;
    }

    /** The largest heap in use right after a garbage collection: the live data, whatever -Xmx allows. */
    static final class LiveHeap implements javax.management.NotificationListener {
      private long peak;
      private int count;

      static LiveHeap watch() {
        LiveHeap l = new LiveHeap();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
          ((javax.management.NotificationEmitter) gc).addNotificationListener(l, null, null);
        }
        return l;
      }

      @Override
      public synchronized void handleNotification(javax.management.Notification n, Object handback) {
        if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
          return;
        }
        var info = com.sun.management.GarbageCollectionNotificationInfo.from(
            (javax.management.openmbean.CompositeData) n.getUserData());
        long used = 0;
        for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
          for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().equals(e.getKey()) && p.getType() == MemoryType.HEAP) {
              used += e.getValue().getUsed();
            }
          }
        }
        peak = Math.max(peak, used);
        count++;
      }

      synchronized long peak() {
        return peak;
      }

      synchronized int count() {
        return count;
      }
    }

    /** CPU time of the whole process, native tokenizer threads included. */
    private static long cpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }

    private static void gcAndResetPeaks() {
      System.gc();
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          p.resetPeakUsage();
        }
      }
    }

    /** The sum of the heap pools' peak usage since the last reset (an upper bound of the live peak). */
    private static long peakHeap() {
      long sum = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          sum += p.getPeakUsage().getUsed();
        }
      }
      return sum;
    }
  }
}
