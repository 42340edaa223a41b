package io.thinklab.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.lora.LoraConfig;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seconds per optimizer step of the real {@link Trainer} on a randomly initialised model: the figure to set
 * beside the seed's 2.79 s/step (TRL + PEFT, Nanbeige4-3B, LoRA r 16 q/k/v/o, 16 × 2048 tokens, one H100).
 * A benchmark, not a test.
 *
 * <p>Every sequence is {@code seq} random tokens with the first 128 masked as a prompt, so each step trains on
 * the same number of tokens. Model FLOPs per step follow the LoRA convention of the preflight: frozen weights
 * forward + input gradients {@code 4·N·T}, adapters {@code 6·N_lora·T}, attention {@code 12·L·d·S·T}
 * (non-causal, recomputation not counted).
 *
 * <p>Run: {@code java -cp … io.thinklab.train.StepBenchmark <shape> <fp32|fp16|bf16> <micro> <accum> <seq> <steps>
 * <gc on|off> [out.json]} with shape {@code nanbeige4-3b}, {@code smollm2-135m} or {@code tiny-thinker}.
 */
public final class StepBenchmark {
  private StepBenchmark() {}

  /** Nanbeige4-3B-Base's shape (the real config's numbers). */
  public static final String NANBEIGE4_3B = """
      {"model_type": "llama", "hidden_size": 2560, "intermediate_size": 10496, "num_hidden_layers": 32,
       "num_attention_heads": 20, "num_key_value_heads": 4, "vocab_size": 166144, "rope_theta": 5000000,
       "rms_norm_eps": 1e-05, "tie_word_embeddings": false}""";

  /**
   * One configuration's figures.
   *
   * @param secondsPerStep median seconds per optimizer step, the first (warm-up) step left out
   * @param stepSeconds    every step's seconds, the warm-up first
   * @param mfu            model FLOPs utilisation against {@code peakTflops} (0 when no peak is given)
   */
  public record Result(String shape, String device, String precision, int microBatch, int gradAccum, int seq,
                       boolean gradientCheckpointing, double secondsPerStep, double tokensPerS, double modelTflops,
                       double mfu, double[] stepSeconds, double[] losses) {}

  public static Result run(String shape, LlamaConfig config, TrainConfig cfg, int seq, int steps, double peakTflops,
                           Path out) {
    Device device = Engine.getInstance().defaultDevice();
    int perStep = cfg.microBatch() * cfg.gradAccum();
    List<Sequence> data = new ArrayList<>();
    Random r = new Random(7);
    for (int i = 0; i < perStep * steps; i++) {
      long[] ids = new long[seq];
      for (int t = 0; t < seq; t++) {
        ids[t] = r.nextInt(config.vocabSize());
      }
      data.add(Sequence.completionOnly("bench-" + i, ids, Math.min(128, seq / 2)));
    }
    LoraConfig lora = LoraConfig.seed(shape);
    try (LlamaModel model = LlamaModel.randomOnDevice(config, cfg.baseDtype(), device, 1);
         LoraAdapter adapter = LoraAdapter.init(config, lora, device, 2)) {
      TrainConfig one = cfg.withMaxSteps(steps);
      List<StepReport> done = Trainer.lora(model, adapter, data, one, out).quiet().run(false);
      double[] secs = done.stream().mapToDouble(s -> (double) perStep * seq / s.tokensPerS()).toArray();
      double[] losses = done.stream().mapToDouble(StepReport::loss).toArray();
      double[] timed = Arrays.copyOfRange(secs, Math.min(1, secs.length - 1), secs.length);
      Arrays.sort(timed);
      double median = timed[timed.length / 2];
      double flops = modelFlops(config, lora.trainableParameters(config), (long) perStep * seq, seq);
      return new Result(shape, device.toString(), cfg.precision(), cfg.microBatch(), cfg.gradAccum(), seq,
          cfg.gradientCheckpointing(), median, perStep * seq / median, flops / 1e12,
          peakTflops > 0 ? flops / median / (peakTflops * 1e12) : 0, secs, losses);
    }
  }

  /** Model FLOPs of one optimizer step over {@code tokens} tokens in sequences of {@code seq}. */
  public static double modelFlops(LlamaConfig c, long loraParams, long tokens, int seq) {
    double frozen = c.nonEmbeddingParameters() + c.embeddingParameters(); // matmul weights incl. the LM head
    double attention = 12.0 * c.numLayers() * c.numHeads() * c.headDim() * seq * tokens;
    return 4 * frozen * tokens + 6.0 * loraParams * tokens + attention;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 7) {
      System.err.println("usage: StepBenchmark <nanbeige4-3b|smollm2-135m|tiny-thinker> <fp32|fp16|bf16> <micro>"
          + " <accum> <seq> <steps> <gc on|off> [out.json] [peak TFLOP/s]");
      System.exit(2);
    }
    String shape = args[0];
    String json = switch (shape) {
      case "nanbeige4-3b" -> NANBEIGE4_3B;
      case "smollm2-135m" -> TrainBenchmark.SMOLLM2_135M;
      case "tiny-thinker" -> TrainBenchmark.TINY_THINKER;
      default -> throw new IllegalArgumentException("shape: nanbeige4-3b, smollm2-135m or tiny-thinker");
    };
    TrainConfig cfg = TrainConfig.defaults().withPrecision(args[1])
        .withBatching(Integer.parseInt(args[2]), Integer.parseInt(args[3]))
        .withGradientCheckpointing(args[6].equals("on")).withLr(2e-4);
    Path dir = Files.createTempDirectory("thinklab-bench");
    Result res = run(shape, LlamaConfig.parse(json, shape), cfg, Integer.parseInt(args[4]),
        Integer.parseInt(args[5]), args.length > 8 ? Double.parseDouble(args[8]) : 0, dir);
    String line = new ObjectMapper().writeValueAsString(res);
    System.out.println(line);
    if (args.length > 7) {
      try {
        Files.writeString(Path.of(args[7]), line + "\n", java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
