package io.thinklab.generate;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.train.TrainBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Decoding speed with and without the key/value cache: generated tokens per second for a random model of the
 * tiny-thinker shape (greedy, no EOS so every sample runs the whole budget). A benchmark, not a test: the
 * figures depend on the machine and its load. Without the cache every step re-runs the whole sequence, so its
 * cost grows with the length; with it each step runs one token per sample.
 *
 * <p>Run: {@code java -cp lib/target/thinklab.jar io.thinklab.generate.DecodeBenchmark [batch] [prompt] [new] [repeats] [cached-only]}
 * (defaults 1, 64, 256, 3; the best of the repeats after one warm-up is reported).
 */
public final class DecodeBenchmark {
  private DecodeBenchmark() {}

  /** Tokens/s for both modes. */
  public record Result(int batch, int promptTokens, int newTokens, double cachedTokensPerS,
                       double uncachedTokensPerS) {
    public double speedup() {
      return cachedTokensPerS / uncachedTokensPerS;
    }
  }

  public static Result run(LlamaConfig config, int batch, int prompt, int newTokens, int repeats) {
    return run(config, batch, prompt, newTokens, repeats, true);
  }

  /** As {@link #run(LlamaConfig, int, int, int, int)}; {@code uncached = false} skips the slow baseline (NaN). */
  public static Result run(LlamaConfig config, int batch, int prompt, int newTokens, int repeats, boolean uncached) {
    try (LlamaModel model = LlamaModel.random(config, DataType.FLOAT32, Device.cpu(), 1)) {
      Random r = new Random(2);
      List<long[]> prompts = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        long[] p = new long[prompt];
        for (int i = 0; i < prompt; i++) {
          p[i] = r.nextInt(config.vocabSize());
        }
        prompts.add(p);
      }
      TextCodec none = new TextCodec() {
        @Override
        public long[] encode(String text) {
          throw new UnsupportedOperationException();
        }

        @Override
        public String decode(long[] ids) {
          return "";
        }
      };
      GenerationConfig cfg = new GenerationConfig(newTokens, Sampling.greedy(), false, List.of(), Set.of(-1L));
      Generator cached = Generator.of(model, none, cfg);
      return new Result(batch, prompt, newTokens, best(cached, prompts, repeats),
          uncached ? best(cached.withoutCache(), prompts, repeats) : Double.NaN);
    }
  }

  private static double best(Generator g, List<long[]> prompts, int repeats) {
    double best = 0;
    for (int i = -1; i < repeats; i++) { // −1 warms up
      long t0 = System.nanoTime();
      int n = g.generateIds(prompts, TokenListener.none()).stream().mapToInt(Generation::newTokens).sum();
      double perS = n / ((System.nanoTime() - t0) / 1e9);
      if (i >= 0) {
        best = Math.max(best, perS);
      }
    }
    return best;
  }

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int prompt = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int newTokens = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    boolean uncached = args.length <= 4 || !args[4].equals("cached-only");
    Result res = run(LlamaConfig.parse(TrainBenchmark.TINY_THINKER, "tiny-thinker"), batch, prompt, newTokens,
        repeats, uncached);
    System.out.printf("tiny-thinker fp32 CPU, batch %d, prompt %d, %d new tokens: cached %.0f tokens/s, "
            + "uncached %.0f tokens/s (%.1fx)%n", batch, prompt, newTokens, res.cachedTokensPerS(),
        res.uncachedTokensPerS(), res.speedup());
  }
}
