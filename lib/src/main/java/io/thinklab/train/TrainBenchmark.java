package io.thinklab.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.lora.LoraConfig;
import io.thinklab.model.Autograd;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import java.util.Random;

/**
 * Training throughput of a random model of a given shape: tokens per second through forward + backward of a
 * LoRA (r 16, q/k/v/o) step, and through a forward pass alone. A benchmark, not a test: the numbers depend
 * on the machine and what else runs on it.
 *
 * <p>Run: {@code java -cp … io.thinklab.train.TrainBenchmark tiny-thinker|smollm2-135m fp32|fp16 [batch] [seq] [steps]}.
 */
public final class TrainBenchmark {
  private TrainBenchmark() {}

  /** ThinkLab's tiny thinker (the preflight profile tiny-thinker.json): 2.8 M parameters. */
  public static final String TINY_THINKER = """
      {"model_type": "llama", "hidden_size": 256, "intermediate_size": 688, "num_hidden_layers": 4,
       "num_attention_heads": 8, "num_key_value_heads": 2, "vocab_size": 256, "rope_theta": 10000,
       "rms_norm_eps": 1e-05, "tie_word_embeddings": true}""";
  /** SmolLM2-135M's shape (random weights). */
  public static final String SMOLLM2_135M = """
      {"model_type": "llama", "hidden_size": 576, "intermediate_size": 1536, "num_hidden_layers": 30,
       "num_attention_heads": 9, "num_key_value_heads": 3, "vocab_size": 49152, "rope_theta": 100000,
       "rms_norm_eps": 1e-05, "tie_word_embeddings": true}""";

  /**
   * Throughput figures.
   *
   * @param trainTokensPerS tokens/s through forward + loss + backward (LoRA r 16 on q/k/v/o)
   * @param forwardTokensPerS tokens/s through a forward pass without gradients
   */
  public record Result(String model, String precision, int batch, int seq, double trainTokensPerS,
                       double forwardTokensPerS) {}

  public static Result run(String name, LlamaConfig config, DataType dtype, int batch, int seq, int steps) {
    try (LlamaModel model = LlamaModel.random(config, dtype, Engine.getInstance().defaultDevice(), 1);
         LoraAdapter ad = LoraAdapter.init(config, LoraConfig.seed(name), Engine.getInstance().defaultDevice(), 2)) {
      model.attach(ad);
      Random r = new Random(3);
      long[] ids = new long[batch * seq];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = r.nextInt(config.vocabSize());
      }
      double train = 0;
      double forward = 0;
      for (int s = -1; s < steps; s++) { // step −1 warms up
        try (NDManager sm = model.manager().newSubManager()) {
          NDArray x = sm.create(ids, new Shape(batch, seq));
          long t0 = System.nanoTime();
          try (Autograd.Recording gc = Autograd.record()) {
            NDArray loss = LlamaModel.lossSum(model.forward(x, null, true), x);
            gc.backward(loss);
            loss.getFloat();
          }
          long t1 = System.nanoTime();
          model.forward(x, null, false).get(0, 0, 0).getFloat();
          long t2 = System.nanoTime();
          if (s >= 0) {
            train += (t1 - t0) / 1e9;
            forward += (t2 - t1) / 1e9;
          }
        }
        for (NDArray p : ad.parameters()) {
          NDArray g = p.getGradient();
          g.set(new ai.djl.ndarray.index.NDIndex("..."), 0);
          g.close();
        }
      }
      double tokens = (double) batch * seq * steps;
      return new Result(name, dtype == DataType.FLOAT16 ? "fp16" : "fp32", batch, seq, tokens / train,
          tokens / forward);
    }
  }

  public static void main(String[] args) {
    String name = args.length > 0 ? args[0] : "tiny-thinker";
    DataType dtype = args.length > 1 && args[1].equals("fp16") ? DataType.FLOAT16 : DataType.FLOAT32;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int seq = args.length > 3 ? Integer.parseInt(args[3]) : 256;
    int steps = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    String json = switch (name) {
      case "tiny-thinker" -> TINY_THINKER;
      case "smollm2-135m" -> SMOLLM2_135M;
      default -> throw new IllegalArgumentException("model: tiny-thinker or smollm2-135m");
    };
    Result res = run(name, LlamaConfig.parse(json, name), dtype, batch, seq, steps);
    System.out.println(res);
  }
}
