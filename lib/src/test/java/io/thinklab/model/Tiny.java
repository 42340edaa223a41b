package io.thinklab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** Tiny shapes and helpers shared by the model and LoRA tests: everything runs in well under a second. */
public final class Tiny {
  private Tiny() {}

  /** 2 layers, 4 query heads sharing 2 KV heads (GQA as Nanbeige), untied head, vocab 61. */
  public static final String CONFIG_JSON = """
      {"model_type": "llama", "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
       "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 61, "rope_theta": 10000,
       "rms_norm_eps": 1e-05, "tie_word_embeddings": false, "max_position_embeddings": 64,
       "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "float32"}""";

  public static LlamaConfig config() {
    return LlamaConfig.parse(CONFIG_JSON, "tiny");
  }

  /** Random token ids (B, T) from a seed. */
  public static NDArray ids(NDManager m, int b, int t, long seed, int vocab) {
    Random r = new Random(seed);
    long[] v = new long[b * t];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextInt(vocab);
    }
    return m.create(v, new Shape(b, t));
  }

  /** Mean next-token cross-entropy over all positions: {@code −mean(log p(x_{t+1} | x_≤t))}. */
  public static NDArray loss(LlamaModel model, NDArray ids, boolean training) {
    return NextTokenLoss.tokenLogProbs(model.forward(ids, null, training), ids).mean().neg();
  }

  /** Max absolute difference of two arrays read as fp32. */
  public static double maxDiff(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}
