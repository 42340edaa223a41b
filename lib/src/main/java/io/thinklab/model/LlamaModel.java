package io.thinklab.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.engine.Engine;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.safetensors.Checkpoint;
import io.thinklab.safetensors.SafetensorsWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A Llama-architecture causal language model (Nanbeige4, SmolLM2, Llama 3.x) written out in one file,
 * forward pass only in terms of plain tensor operations so a learner can read it top to bottom.
 *
 * <pre>
 *   ids (B, T) ─ embed ─▶ x (B, T, H)
 *   repeat numLayers times:
 *     x = x + o_proj(attention(rope(q_proj(norm(x))), rope(k_proj(norm(x))), v_proj(norm(x))))
 *     x = x + down_proj(silu(gate_proj(norm(x))) * up_proj(norm(x)))
 *   logits = lm_head(norm(x))                                  (B, T, V)
 * </pre>
 *
 * <p>Weights are kept by their Hugging Face names ({@code model.layers.0.self_attn.q_proj.weight} …) so a
 * checkpoint loads by name and a LoRA adapter finds its modules by name. The frozen base runs in fp32 or
 * fp16; RMSNorm statistics, the attention softmax and the loss are always fp32 (as Transformers does).
 * A LoRA adapter, when attached, adds its low-rank update to the linear layers it targets.
 *
 * <p>Memory hygiene: every intermediate array belongs to the manager of the input ids, so run each step
 * inside its own {@code NDManager} (created from {@link #manager()}) and close it after the step. For long
 * sequences, {@link #forwardBackwardCheckpointed} trains with one block's activations in memory at a time.
 *
 * <p>Checked against Hugging Face Transformers (tests/parity): logits within 2e-6 in fp32.
 */
public final class LlamaModel implements AutoCloseable {

  /** Transformers' default {@code initializer_range}: weights start as N(0, 0.02²). */
  public static final double INIT_STD = 0.02;

  private final LlamaConfig config;
  private final DataType dtype;
  private final NDManager manager;            // owns the weights; closed with the model
  private final Map<String, NDArray> weights; // Hugging Face name -> tensor
  private final float[] invFreq;              // rotary inverse frequencies (hd/2), fp32, Java-side
  private LoraAdapter lora;                   // optional trainable adapter
  private long dropoutSeed = -1;
  private boolean embeddingTrains;
  private long headChunkLogits = 1L << 28;   // checkpointed head: at most this many logits at once (1 GiB fp32)              // when ≥ 0, block i draws its dropout masks from seed + i

  private LlamaModel(LlamaConfig config, DataType dtype, NDManager manager, Map<String, NDArray> weights) {
    if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
      throw new IllegalArgumentException("the model runs in FLOAT32 or FLOAT16, not " + dtype
          + " (DJL's PyTorch engine has no bf16: load bf16 checkpoints as fp16 or fp32)");
    }
    this.config = config;
    this.dtype = dtype;
    this.manager = manager;
    this.weights = weights;
    this.invFreq = Rope.inverseFrequencies(config);
  }

  // ------------------------------------------------------------------------------------------------
  // Construction: from a Hugging Face folder, or random for tests and pre-training
  // ------------------------------------------------------------------------------------------------

  /** Hugging Face names of every weight this config needs, in checkpoint order. */
  public static List<String> weightNames(LlamaConfig c) {
    List<String> names = new ArrayList<>();
    names.add("model.embed_tokens.weight");
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      names.add(p + "input_layernorm.weight");
      for (String m : c.blockLinearShapes().keySet()) {
        names.add(p + moduleGroup(m) + m + ".weight");
      }
      names.add(p + "post_attention_layernorm.weight");
    }
    names.add("model.norm.weight");
    if (!c.tieWordEmbeddings()) {
      names.add("lm_head.weight");
    }
    return names;
  }

  /** Where Hugging Face nests each linear layer: {@code "self_attn."} for q/k/v/o, {@code "mlp."} for the MLP. */
  public static String moduleGroup(String module) {
    return switch (module) {
      case "q_proj", "k_proj", "v_proj", "o_proj" -> "self_attn.";
      case "gate_proj", "up_proj", "down_proj" -> "mlp.";
      default -> throw new IllegalArgumentException("'" + module + "' is not a Llama linear module"
          + " (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)");
    };
  }

  /**
   * Loads a Hugging Face model folder ({@code config.json} + safetensors, sharded or not) onto {@code device}
   * in {@code dtype}. bf16 checkpoints are widened in Java (exact), then narrowed to fp16 if asked.
   */
  public static LlamaModel load(Path dir, DataType dtype, Device device) {
    LlamaConfig config = LlamaConfig.read(dir);
    Checkpoint ckpt = Checkpoint.open(dir);
    NDManager m = NDManager.newBaseManager(device);
    Map<String, NDArray> w = new LinkedHashMap<>();
    try {
      for (String name : weightNames(config)) {
        if (!ckpt.contains(name)) {
          throw new IllegalArgumentException(dir + ": checkpoint lacks '" + name + "'");
        }
        NDArray a = ckpt.load(name, m, dtype);
        a.setName(name);
        w.put(name, a);
      }
      for (String name : ckpt.names()) { // optional biases (attention_bias: true)
        if (name.endsWith("_proj.bias")) {
          w.put(name, ckpt.load(name, m, dtype));
        }
      }
      checkShapes(config, w, dir.toString());
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return new LlamaModel(config, dtype, m, w);
  }

  /**
   * A randomly initialised model as Transformers initialises one: linear and embedding weights
   * N(0, 0.02²), norm weights 1. Drawn in Java from {@code seed}, so it is the same on every device.
   */
  public static LlamaModel random(LlamaConfig config, DataType dtype, Device device, long seed) {
    Random rnd = new Random(seed);
    NDManager m = NDManager.newBaseManager(device);
    Map<String, NDArray> w = new LinkedHashMap<>();
    for (String name : weightNames(config)) {
      long[] shape = expectedShape(config, name);
      int n = Math.toIntExact(new Shape(shape).size());
      float[] v = new float[n];
      boolean norm = name.endsWith("norm.weight");
      for (int i = 0; i < n; i++) {
        v[i] = norm ? 1f : (float) (rnd.nextGaussian() * INIT_STD);
      }
      NDArray a = Ops.owned(m, v, new Shape(shape));
      if (dtype != DataType.FLOAT32) {
        NDArray cast = a.toType(dtype, false);
        a.close();
        a = cast;
      }
      a.setName(name);
      w.put(name, a);
    }
    return new LlamaModel(config, dtype, m, w);
  }

  /**
   * A randomly initialised model drawn by the engine on {@code device} (N(0, 0.02²), norms 1), in seconds even at
   * 3.9 B parameters, where {@link #random} draws every number in Java. The values depend on the engine and
   * device, so use it for benchmarks and memory checks, never for golden numbers.
   */
  public static LlamaModel randomOnDevice(LlamaConfig config, DataType dtype, Device device, long seed) {
    ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
    NDManager m = NDManager.newBaseManager(device);
    Map<String, NDArray> w = new LinkedHashMap<>();
    for (String name : weightNames(config)) {
      Shape shape = new Shape(expectedShape(config, name));
      NDArray a = name.endsWith("norm.weight") ? m.ones(shape, dtype)
          : m.randomNormal(0f, (float) INIT_STD, shape, dtype);
      a.setName(name);
      w.put(name, a);
    }
    return new LlamaModel(config, dtype, m, w);
  }

  private static long[] expectedShape(LlamaConfig c, String name) {
    if (name.endsWith("norm.weight")) {
      return new long[] {c.hiddenSize()};
    }
    if (name.equals("model.embed_tokens.weight") || name.equals("lm_head.weight")) {
      return new long[] {c.vocabSize(), c.hiddenSize()};
    }
    String module = name.substring(0, name.length() - ".weight".length());
    module = module.substring(module.lastIndexOf('.') + 1); // model.layers.3.mlp.up_proj.weight -> up_proj
    int[] s = c.blockLinearShapes().get(module);
    return new long[] {s[0], s[1]};
  }

  private static void checkShapes(LlamaConfig c, Map<String, NDArray> w, String source) {
    for (String name : weightNames(c)) {
      Shape want = new Shape(expectedShape(c, name));
      if (!w.get(name).getShape().equals(want)) {
        throw new IllegalArgumentException(source + ": '" + name + "' has shape " + w.get(name).getShape()
            + " but config.json implies " + want);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Forward pass
  // ------------------------------------------------------------------------------------------------

  /**
   * Next-token logits for a batch of token ids.
   *
   * @param ids           (B, T) INT64 token ids
   * @param attentionMask (B, T) 1 for real tokens, 0 for padding; null when nothing is padded
   * @param training      whether LoRA dropout is active
   * @return (B, T, V) logits in the model's dtype; take the log-softmax in fp32 (see {@link #tokenLogProbs})
   */
  public NDArray forward(NDArray ids, NDArray attentionMask, boolean training) {
    return lmHead(hidden(ids, attentionMask, training));
  }

  /** The final normalised hidden states (B, T, H): what the LM head reads. */
  public NDArray hidden(NDArray ids, NDArray attentionMask, boolean training) {
    NDManager sm = ids.getManager(); // every intermediate lands here, never in the weights' manager
    long t = ids.getShape().get(1);
    NDArray x = Ops.embedding(ids, embeddings(ids.getManager())); // (B, T, H)

    // Rotary tables for positions 0..T-1, computed once per forward and shared by every layer.
    NDArray[] cosSin = Rope.cosSin(sm, invFreq, t, config, dtype); // 2 × (T, hd)
    // One additive mask for every layer: 0 where a query may look, a huge negative number where not.
    NDArray mask = attentionMask(sm, t, attentionMask); // (B or 1, 1, T, T) fp32

    for (int i = 0; i < config.numLayers(); i++) {
      seedDropout(i, training);
      x = blockScoped(i, x, cosSin[0], cosSin[1], mask, training, sm);
    }
    return rmsNorm(x, w("model.norm.weight"));
  }

  /**
   * {@link #block} with its intermediates in a manager of their own, closed when the block is done, so only the
   * block's output (B, T, H) stays in {@code keep}. Why: DJL frees native memory when an array is closed, not
   * when it is unreachable; without this every layer's (B, nh, T, T) score matrices (and their fp32 copies)
   * would live until the step ends — over 5 GiB per layer at 4 × 2048 for Nanbeige. Under autograd, closing
   * the Java handles is safe: the graph keeps its own references to what the backward pass needs.
   */
  private NDArray blockScoped(int i, NDArray x, NDArray cos, NDArray sin, NDArray mask, boolean training,
                              NDManager keep) {
    try (NDManager bm = keep.newSubManager()) {
      x.tempAttach(bm); // ops put results in their first operand's manager: x's, now bm; x returns on close
      NDArray out = block(i, x, cos, sin, mask, training);
      out.attach(keep);
      return out;
    }
  }

  /** Logits from final hidden states: (B, T, H) → (B, T, V). Tied models reuse the embedding matrix. */
  public NDArray lmHead(NDArray hidden) {
    NDArray head = config.tieWordEmbeddings() ? embeddings(hidden.getManager()) : w("lm_head.weight");
    return Ops.linear(hidden, head, null);
  }

  /**
   * The embedding table (V, H): the base's, or, when the attached adapter trains some tokens' rows, the table
   * with those rows put in (built in {@code sm}, differentiable in the rows).
   */
  private NDArray embeddings(NDManager sm) {
    NDArray table = w("model.embed_tokens.weight");
    return lora != null && lora.hasTokenRows() ? lora.embeddingTable(table, sm) : table;
  }

  /**
   * Log-probability of each next token: {@code out[b, t] = log softmax(logits[b, t])[ids[b, t+1]]},
   * computed in fp32. Shape (B, T−1). The training loss is minus their masked mean.
   */
  public static NDArray tokenLogProbs(NDArray logits, NDArray ids) {
    long t = logits.getShape().get(1);
    NDArray logp = Ops.logSoftmax(logits.get(new NDIndex(":, :-1, :")), -1, DataType.FLOAT32); // (B, T-1, V)
    NDArray next = ids.get(new NDIndex(":, 1:")).expandDims(-1);                                 // (B, T-1, 1)
    return logp.gather(next, -1).reshape(ids.getShape().get(0), t - 1);
  }

  /** The label that marks a position as outside the loss (prompt, padding), as in Transformers. */
  public static final long IGNORE_INDEX = -100;

  /**
   * Summed next-token cross-entropy over trained positions, in fp32: {@code logits[:, t]} predicts
   * {@code labels[:, t+1]}; labels equal to {@link #IGNORE_INDEX} are skipped. Divide by the number of
   * trained tokens ({@code labels[:, 1:] != −100}) of <em>all</em> accumulated micro-batches for the mean.
   *
   * @param logits (B, T, V) any float dtype
   * @param labels (B, T) INT64 ids, −100 where not trained
   * @return a scalar fp32 array
   */
  public static NDArray lossSum(NDArray logits, NDArray labels) {
    return nllSum(logits.get(new NDIndex(":, :-1, :")), labels.get(new NDIndex(":, 1:")));
  }

  /**
   * Summed cross-entropy of already aligned logits (B, T, V) and targets (B, T): position t is scored on
   * {@code targets[:, t]}, skipped where it is −100. The log-softmax is computed in fp32 whatever the logits' dtype.
   */
  public static NDArray nllSum(NDArray logits, NDArray targets) {
    NDArray trained = targets.neq(IGNORE_INDEX);                                               // (B, T)
    NDArray safe = targets.mul(trained.toType(DataType.INT64, false));                         // -100 -> 0
    NDArray logp = Ops.logSoftmax(logits, -1, DataType.FLOAT32);                               // (B, T, V)
    NDArray picked = logp.gather(safe.expandDims(-1), -1).squeeze(-1);                         // (B, T)
    return picked.mul(trained.toType(DataType.FLOAT32, false)).sum().neg();
  }

  /** Positions {@link #lossSum} trains on: labels after the first that are not −100. */
  public static long trainedTokens(NDArray labels) {
    return labels.get(new NDIndex(":, 1:")).neq(IGNORE_INDEX).sum().getLong();
  }

  /** One transformer block: pre-norm attention and pre-norm MLP, each added to the residual stream. */
  private NDArray block(int i, NDArray x, NDArray cos, NDArray sin, NDArray mask, boolean training) {
    String p = "model.layers." + i + ".";
    NDArray h = rmsNorm(x, w(p + "input_layernorm.weight"));
    x = x.add(attention(i, h, cos, sin, mask, training));                     // (B, T, H)
    h = rmsNorm(x, w(p + "post_attention_layernorm.weight"));
    // SwiGLU: silu(gate) acts as a learned, smooth gate on the up projection.
    NDArray gate = proj(i, "gate_proj", h, training);                          // (B, T, I)
    NDArray up = proj(i, "up_proj", h, training);                              // (B, T, I)
    NDArray act = gate.mul(Activation.sigmoid(gate)).mul(up);                  // silu(g) * u
    return x.add(proj(i, "down_proj", act, training));                         // (B, T, H)
  }

  /** Grouped-query self-attention with rotary positions, causal + padding mask and an fp32 softmax. */
  private NDArray attention(int i, NDArray h, NDArray cos, NDArray sin, NDArray mask, boolean training) {
    NDArray[] qkv = qkv(i, h, cos, sin, training);
    // GQA: each group of nh/nkv query heads shares one key/value head (HF's repeat_kv order).
    return attend(i, qkv[0], repeatKv(qkv[1]), repeatKv(qkv[2]), mask, training);   // (B, T, H)
  }

  /** The projections of block {@code i}, split into heads, q and k rotated: (B, nh, T, hd), 2 × (B, nkv, T, hd). */
  private NDArray[] qkv(int i, NDArray h, NDArray cos, NDArray sin, boolean training) {
    long b = h.getShape().get(0);
    long t = h.getShape().get(1);
    int nh = config.numHeads();
    int nkv = config.numKvHeads();
    int hd = config.headDim();
    NDArray q = proj(i, "q_proj", h, training).reshape(b, t, nh, hd).transpose(0, 2, 1, 3);  // (B, nh, T, hd)
    NDArray k = proj(i, "k_proj", h, training).reshape(b, t, nkv, hd).transpose(0, 2, 1, 3); // (B, nkv, T, hd)
    NDArray v = proj(i, "v_proj", h, training).reshape(b, t, nkv, hd).transpose(0, 2, 1, 3); // (B, nkv, T, hd)
    return new NDArray[] {Rope.apply(q, cos, sin), Rope.apply(k, cos, sin), v};
  }

  /**
   * Attention of queries (B, nh, T, hd) over keys and values (B, nh, S, hd), then the output projection.
   * Scores in the model dtype (as Transformers' eager attention), softmax in fp32 for stability.
   */
  private NDArray attend(int i, NDArray q, NDArray keys, NDArray vals, NDArray mask, boolean training) {
    long b = q.getShape().get(0);
    long t = q.getShape().get(2);
    int hd = config.headDim();
    NDArray scores = Ops.scale(q.matMul(keys.transpose(0, 1, 3, 2)), 1.0 / Math.sqrt(hd));        // (B, nh, T, S)
    NDArray probs = Ops.softmax(Ops.cast(scores, DataType.FLOAT32).add(mask), -1, DataType.FLOAT32);
    NDArray y = Ops.cast(probs, dtype).matMul(vals);                                          // (B, nh, T, hd)
    y = y.transpose(0, 2, 1, 3).reshape(b, t, (long) config.numHeads() * hd);                 // (B, T, nh*hd)
    return proj(i, "o_proj", y, training);                                                    // (B, T, H)
  }

  /** (B, nkv, T, hd) → (B, nkv·g, T, hd): query head j reads key/value head j / g. */
  private NDArray repeatKv(NDArray kv) {
    int g = config.groupSize();
    if (g == 1) {
      return kv;
    }
    Shape s = kv.getShape();
    return kv.expandDims(2).repeat(2, g).reshape(s.get(0), s.get(1) * g, s.get(2), s.get(3));
  }

  /**
   * A linear layer of block {@code i} by its HF module name, plus the LoRA update when one targets it:
   * {@code y = x·Wᵀ + scale · B(A(dropout(x)))}.
   */
  private NDArray proj(int i, String module, NDArray x, boolean training) {
    String name = "model.layers." + i + "." + moduleGroup(module) + module;
    NDArray y = Ops.linear(x, w(name + ".weight"), weights.get(name + ".bias"));
    if (lora != null && lora.targets(module)) {
      y = y.add(Ops.cast(lora.delta(name, x, training), y.getDataType()));
    }
    return y;
  }

  /**
   * RMSNorm: {@code x / sqrt(mean(x²) + eps) · weight}, the statistics in fp32 whatever the model dtype
   * (squares of fp16 activations overflow), the result cast back before the weight, as Transformers does.
   */
  private NDArray rmsNorm(NDArray x, NDArray weight) {
    NDArray x32 = Ops.cast(x, DataType.FLOAT32);                                              // (B, T, H)
    NDArray inv = Ops.rsqrt(x32.square().mean(new int[] {-1}, true).add(config.rmsNormEps()));  // (B, T, 1)
    return Ops.cast(x32.mul(inv), x.getDataType()).mul(weight);
  }

  /** Additive attention mask: key j is visible to query i when j ≤ i and key j is not padding. */
  private static NDArray attentionMask(NDManager sm, long t, NDArray attentionMask) {
    NDArray pos = sm.arange(0, (int) t, 1, DataType.INT64);
    NDArray blocked = pos.expandDims(0).gt(pos.expandDims(1)).reshape(1, 1, t, t);        // (1, 1, T, T) j > i
    if (attentionMask != null) {
      NDArray pad = attentionMask.eq(0).reshape(attentionMask.getShape().get(0), 1, 1, t); // (B, 1, 1, T)
      blocked = blocked.logicalOr(pad);                                                     // (B, 1, T, T)
    }
    // -max float, not -inf: a row with every key masked (a left-padding query) stays finite (uniform).
    return blocked.toType(DataType.FLOAT32, false).mul(-Float.MAX_VALUE);
  }

  // ------------------------------------------------------------------------------------------------
  // Decoding with a key/value cache
  // ------------------------------------------------------------------------------------------------

  /**
   * Logits for new tokens given everything already in {@code cache}, which this call extends: prefill with
   * the whole (left-padded) prompt batch, then call once per generated token with T = 1. Equal to
   * {@link #forward} on the full sequence (same positions, same mask) without recomputing the prefix.
   *
   * @param ids       (B, T) INT64 new token ids
   * @param positions (B, T) INT64 rotary positions of the new tokens (with left padding: real tokens count
   *                  from 0, so a padded prompt gets the same positions as the same prompt alone)
   * @param keyMask   (B, S + T) 1 for real tokens, 0 for padding, over the cached and the new positions
   * @param cache     the cache of this batch; run each call in a step sub-manager of {@link #manager()}
   * @return (B, T, V) logits in the model's dtype
   */
  public NDArray forwardCached(NDArray ids, NDArray positions, NDArray keyMask, KvCache cache) {
    NDManager sm = ids.getManager();
    long t = ids.getShape().get(1);
    long past = cache.length();
    NDArray x = Ops.embedding(ids, embeddings(ids.getManager()));                         // (B, T, H)
    NDArray[] cosSin = Rope.cosSinAt(positions, invFreq, dtype);                            // 2 × (B, 1, T, hd)
    // query i (absolute position past + i) sees key j when j ≤ past + i and key j is not padding
    NDArray q = sm.arange(past, past + t, 1, DataType.INT64).reshape(t, 1);                 // (T, 1)
    NDArray k = sm.arange(0, past + t, 1, DataType.INT64).reshape(1, past + t);             // (1, S+T)
    NDArray blocked = k.gt(q).reshape(1, 1, t, past + t)
        .logicalOr(keyMask.eq(0).reshape(keyMask.getShape().get(0), 1, 1, past + t));      // (B, 1, T, S+T)
    NDArray mask = blocked.toType(DataType.FLOAT32, false).mul(-Float.MAX_VALUE);
    for (int i = 0; i < config.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      NDArray h = rmsNorm(x, w(p + "input_layernorm.weight"));
      x = x.add(cachedAttention(i, h, cosSin[0], cosSin[1], mask, cache));
      h = rmsNorm(x, w(p + "post_attention_layernorm.weight"));
      NDArray gate = proj(i, "gate_proj", h, false);
      NDArray act = gate.mul(Activation.sigmoid(gate)).mul(proj(i, "up_proj", h, false));
      x = x.add(proj(i, "down_proj", act, false));
    }
    NDArray logits = lmHead(rmsNorm(x, w("model.norm.weight")));
    cache.commit(t);
    return logits;
  }

  /** {@link #attention} over the cached keys/values plus the new ones. */
  private NDArray cachedAttention(int i, NDArray h, NDArray cos, NDArray sin, NDArray mask, KvCache cache) {
    NDArray[] qkv = qkv(i, h, cos, sin, false);
    NDArray[] kv = cache.extend(i, qkv[1], qkv[2]);                                         // (B, nkv, S+T, hd)
    return attend(i, qkv[0], repeatKv(kv[0]), repeatKv(kv[1]), mask, false);
  }

  // ------------------------------------------------------------------------------------------------
  // Training with less memory: gradient checkpointing
  // ------------------------------------------------------------------------------------------------

  /**
   * Forward and backward with gradient checkpointing; returns the summed token loss (as {@link #lossSum}).
   * Gradients of {@code gradScale · lossSum} accumulate into every trainable array, exactly as a plain
   * forward + backward would give (with {@link #setDropoutSeed} set, even the dropout masks are the same).
   *
   * <p>Why: backward needs every block's activations, and attention's (B, nh, T, T) probabilities make them
   * grow with T² (DJL has no fused attention). Here the first pass runs without autograd and keeps only each
   * block's input (B, T, H); then, from the last block down, one block at a time is recomputed with autograd
   * and back-propagated with the gradient arriving from above: {@code backward(Σ out ⊙ upstream)} has exactly
   * {@code upstream} as the gradient of {@code out}. Memory: one block's activations instead of all of them,
   * for one extra forward pass.
   *
   * <p>Call it outside any {@code GradientCollector} (it opens its own, one at a time).
   */
  public double forwardBackwardCheckpointed(NDArray ids, NDArray attentionMask, NDArray labels, double gradScale,
                                            boolean training) {
    NDManager sm = ids.getManager();
    long t = ids.getShape().get(1);
    NDArray[] cosSin = Rope.cosSin(sm, invFreq, t, config, dtype);
    NDArray mask = attentionMask(sm, t, attentionMask);
    Engine engine = Engine.getInstance();

    // 1. a forward pass without autograd that keeps each block's input
    NDArray[] inputs = new NDArray[config.numLayers()];
    NDArray x = Ops.embedding(ids, embeddings(ids.getManager()));                           // (B, T, H)
    for (int i = 0; i < config.numLayers(); i++) {
      inputs[i] = x;
      seedDropout(i, training);
      x = blockScoped(i, x, cosSin[0], cosSin[1], mask, training, sm);
    }

    // 2. the head: final norm, LM head and loss, a slice of positions at a time so that the (B, T, V) logits
    //    (V = 166,144 for Nanbeige) never exist whole; each slice back-propagates into its own hidden slice
    long b = ids.getShape().get(0);
    NDArray targets = labels.get(new NDIndex(":, 1:"))                                          // (B, T) aligned:
        .concat(sm.full(new Shape(b, 1), IGNORE_INDEX, DataType.INT64), 1);                    // t scores t+1
    long chunk = Math.max(1, headChunkLogits / (b * config.vocabSize()));
    double loss = 0;
    NDList upstreamParts = new NDList();
    for (long from = 0; from < t; from += chunk) {
      long to = Math.min(t, from + chunk);
      try (NDManager cm = sm.newSubManager()) { // the slice's logits are freed before the next slice
        NDArray xc = x.get(new NDIndex(":, {}:{}, :", from, to)).duplicate();                  // (B, c, H) leaf
        xc.attach(cm);
        xc.setRequiresGradient(true);
        try (GradientCollector gc = engine.newGradientCollector()) {
          NDArray logits = lmHead(rmsNorm(xc, w("model.norm.weight")));                        // (B, c, V)
          NDArray sum = nllSum(logits, targets.get(new NDIndex(":, {}:{}", from, to)));
          loss += sum.getFloat();
          gc.backward(Ops.scale(sum, gradScale));
        }
        NDArray g = xc.getGradient();
        g.attach(sm);
        upstreamParts.add(g);
      }
    }
    NDArray upstream = NDArrays.concat(upstreamParts, 1);                                      // (B, T, H)

    // 3. blocks from the top down: recompute with autograd, back-propagate the gradient from above
    for (int i = config.numLayers() - 1; i >= 0; i--) {
      NDArray in = inputs[i];
      NDArray above = upstream;
      try (NDManager bm = sm.newSubManager()) { // this block's recomputed activations die with bm
        in.tempAttach(bm);
        in.setRequiresGradient(true);
        try (GradientCollector gc = engine.newGradientCollector()) {
          seedDropout(i, training);
          NDArray out = block(i, in, cosSin[0], cosSin[1], mask, training);
          gc.backward(Ops.cast(out, DataType.FLOAT32).mul(Ops.cast(above, DataType.FLOAT32)).sum());
        }
        upstream = in.getGradient();
        upstream.attach(sm);
      }
      above.close();
      if (i > 0) {
        in.close(); // block i's input is block i−1's output: no longer needed (the embedding output is kept)
      }
    }

    // 4. the embedding, only when it trains (pre-training, or an adapter's trainable token rows)
    if (embeddingTrains || (lora != null && lora.hasTokenRows())) {
      try (GradientCollector gc = engine.newGradientCollector()) {
        NDArray e = Ops.embedding(ids, embeddings(ids.getManager()));
        gc.backward(Ops.cast(e, DataType.FLOAT32).mul(Ops.cast(upstream, DataType.FLOAT32)).sum());
      }
    }
    return loss;
  }

  /** Caps the logits the checkpointed head computes at once (default 2²⁸, 1 GiB in fp32). */
  public void setHeadChunkLogits(long logits) {
    this.headChunkLogits = logits;
  }

  /**
   * Makes dropout reproducible per block: with a seed set, block i reseeds the engine with {@code seed + i}
   * before it runs, so a recomputation (checkpointing) or a resumed run draws the same masks. −1 turns it off.
   */
  public void setDropoutSeed(long seed) {
    this.dropoutSeed = seed;
  }

  private void seedDropout(int layer, boolean training) {
    if (training && dropoutSeed >= 0) {
      Engine.getInstance().setRandomSeed((int) ((dropoutSeed * 1_000_003L + layer) & 0x7fffffff));
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Weights, LoRA, saving
  // ------------------------------------------------------------------------------------------------

  private NDArray w(String name) {
    NDArray a = weights.get(name);
    if (a == null) {
      throw new IllegalStateException("no weight '" + name + "'");
    }
    return a;
  }

  public LlamaConfig config() {
    return config;
  }

  /** The dtype of the frozen base weights and of the activations between layers. */
  public DataType dtype() {
    return dtype;
  }

  /** The manager that owns the weights; create per-step sub-managers from it. */
  public NDManager manager() {
    return manager;
  }

  /** The weights by Hugging Face name (read-only view of the live arrays). */
  public Map<String, NDArray> weights() {
    return Collections.unmodifiableMap(weights);
  }

  /** Attaches a LoRA adapter (or detaches with null); the base weights stay frozen. */
  public void attach(LoraAdapter adapter) {
    if (adapter != null) {
      adapter.bindTokenRows(w("model.embed_tokens.weight")); // trainable token rows start as the base's rows
    }
    this.lora = adapter;
  }

  /** The attached adapter, or null. */
  public LoraAdapter lora() {
    return lora;
  }

  /** Makes every base weight trainable or frozen (pre-training trains them all; LoRA freezes them). */
  public void setBaseTrainable(boolean trainable) {
    weights.values().forEach(a -> a.setRequiresGradient(trainable));
    embeddingTrains = trainable;
  }

  /** Writes the base weights as one {@code model.safetensors} in the model dtype (Transformers' names). */
  public void save(Path file) {
    SafetensorsWriter.write(file, weights, Map.of("format", "pt"));
  }

  @Override
  public void close() {
    manager.close();
  }

  // ------------------------------------------------------------------------------------------------
  // Rotary position embeddings
  // ------------------------------------------------------------------------------------------------

  /**
   * Rotary position embeddings (RoPE) in Hugging Face's "rotate half" layout: the head's first and second
   * halves form the pairs that rotate, {@code q' = q·cos + rotate_half(q)·sin},
   * {@code rotate_half([a, b]) = [−b, a]}, with angle {@code position · θ^(−2k/hd)} for pair k.
   * Llama 3's {@code rope_scaling} (type "llama3") stretches low frequencies for long contexts.
   */
  static final class Rope {
    private Rope() {}

    static float[] inverseFrequencies(LlamaConfig c) {
      int hd = c.headDim();
      float[] inv = new float[hd / 2];
      for (int k = 0; k < inv.length; k++) {
        inv[k] = (float) (1.0 / Math.pow(c.ropeTheta(), (2.0 * k) / hd));
      }
      Map<String, Object> s = c.ropeScaling();
      String type = String.valueOf(s.getOrDefault("rope_type", s.getOrDefault("type", "default")));
      switch (type) {
        case "default" -> { }
        case "linear" -> {
          double f = num(s, "factor");
          for (int k = 0; k < inv.length; k++) {
            inv[k] = (float) (inv[k] / f);
          }
        }
        case "llama3" -> llama3(inv, s);
        default -> throw new IllegalArgumentException("rope_scaling type '" + type
            + "' is not supported (supported: default, linear, llama3)");
      }
      return inv;
    }

    /**
     * Llama 3.1's frequency-dependent scaling: wavelengths longer than {@code original / low_freq_factor}
     * are divided by {@code factor}, shorter than {@code original / high_freq_factor} kept, and the band
     * in between interpolated smoothly.
     */
    private static void llama3(float[] inv, Map<String, Object> s) {
      double factor = num(s, "factor");
      double low = num(s, "low_freq_factor");
      double high = num(s, "high_freq_factor");
      double original = num(s, "original_max_position_embeddings");
      double lowWavelen = original / low;
      double highWavelen = original / high;
      for (int k = 0; k < inv.length; k++) {
        double wavelen = 2 * Math.PI / inv[k];
        double scaled = wavelen > lowWavelen ? inv[k] / factor : inv[k];
        if (wavelen <= lowWavelen && wavelen >= highWavelen) { // medium band: interpolate
          double smooth = (original / wavelen - low) / (high - low);
          scaled = (1 - smooth) * scaled / factor + smooth * scaled;
        }
        inv[k] = (float) scaled;
      }
    }

    private static double num(Map<String, Object> s, String key) {
      Object v = s.get(key);
      if (!(v instanceof Number n)) {
        throw new IllegalArgumentException("rope_scaling needs a numeric '" + key + "': " + s);
      }
      return n.doubleValue();
    }

    /** cos and sin tables, each (T, hd): angles for positions 0..T−1 repeated for both halves. */
    static NDArray[] cosSin(NDManager sm, float[] invFreq, long t, LlamaConfig c, DataType dtype) {
      NDArray pos = sm.arange(0f, (float) t, 1f, DataType.FLOAT32).expandDims(1);   // (T, 1)
      NDArray freqs = pos.mul(sm.create(invFreq).expandDims(0));                      // (T, hd/2)
      NDArray emb = NDArrays.concat(new NDList(freqs, freqs), 1);                     // (T, hd)
      return new NDArray[] {emb.cos().toType(dtype, false), emb.sin().toType(dtype, false)};
    }

    /** cos and sin tables (B, 1, T, hd) for explicit positions (B, T): decoding with left padding. */
    static NDArray[] cosSinAt(NDArray positions, float[] invFreq, DataType dtype) {
      NDManager sm = positions.getManager();
      NDArray pos = positions.toType(DataType.FLOAT32, false).expandDims(-1);          // (B, T, 1)
      NDArray freqs = pos.mul(sm.create(invFreq).reshape(1, 1, invFreq.length));       // (B, T, hd/2)
      NDArray emb = NDArrays.concat(new NDList(freqs, freqs), -1).expandDims(1);       // (B, 1, T, hd)
      return new NDArray[] {emb.cos().toType(dtype, false), emb.sin().toType(dtype, false)};
    }

    /** x (B, n, T, hd) rotated by position: {@code x·cos + rotate_half(x)·sin}. */
    static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
      long half = x.getShape().get(3) / 2;
      NDArray x1 = x.get(new NDIndex("..., :{}", half));                             // (B, n, T, hd/2)
      NDArray x2 = x.get(new NDIndex("..., {}:", half));                             // (B, n, T, hd/2)
      NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), -1);               // (B, n, T, hd)
      return x.mul(cos).add(rotated.mul(sin));
    }
  }
}
