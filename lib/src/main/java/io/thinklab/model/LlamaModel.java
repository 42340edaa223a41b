package io.thinklab.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.thinklab.safetensors.SafetensorsWriter;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

/**
 * A Llama-architecture causal language model (Nanbeige4, SmolLM2, Llama 3.x), its forward pass written out in
 * plain tensor operations so a learner can read it top to bottom.
 *
 * <pre>
 *   ids (B, T) ─ embed ─▶ x (B, T, H)
 *   repeat numLayers times:
 *     x = x + o_proj(attention(rope(q_proj(norm(x))), rope(k_proj(norm(x))), v_proj(norm(x))))
 *     x = x + down_proj(silu(gate_proj(norm(x))) * up_proj(norm(x)))
 *   logits = lm_head(norm(x))                                  (B, T, V)
 * </pre>
 *
 * <p>Weights are kept by their Hugging Face names ({@link LlamaWeights}) so a checkpoint loads by name and an
 * adapter finds its modules by name. The frozen base runs in fp32 or fp16; RMSNorm statistics, the attention softmax
 * and the loss ({@link NextTokenLoss}) are always fp32 (as Transformers does). An {@link Adapter}, when attached,
 * adds its update to the linear layers it adapts; the model knows nothing else about it (LoRA is one).
 *
 * <p>Beside this file: {@link Rope} (rotary positions), {@link Attention} (the mixing), {@link AttentionMask} (causal and padding mask),
 * {@link NextTokenLoss} (the training loss), {@link CheckpointedBackward} (training with one block's activations in
 * memory), {@link KvCache} (decoding).
 * Memory hygiene: every intermediate array belongs to the manager of the input ids, so run each step inside its
 * own {@code NDManager} (created from {@link #manager()}) and close it after the step.
 *
 * <p>Checked against Hugging Face Transformers (tests/parity): logits within 2e-6 in fp32.
 */
public final class LlamaModel implements AutoCloseable {

  private final LlamaConfig config;
  private final DataType dtype;
  private final NDManager manager;            // owns the weights; closed with the model
  private final Map<String, NDArray> weights; // Hugging Face name -> tensor
  private final float[] invFreq;              // rotary inverse frequencies (hd/2), fp32, Java-side
  private Adapter adapter;                    // optional trainable adapter
  private long dropoutSeed = -1;              // when ≥ 0, block i draws its dropout masks from a seed of it and i
  private boolean embeddingTrains;
  long headChunkLogits = 1L << 28;            // checkpointed head: at most this many logits at once (1 GiB fp32)

  private LlamaModel(LlamaConfig config, DataType dtype, NDManager manager, Map<String, NDArray> weights) {
    this.config = config;
    this.dtype = dtype;
    this.manager = manager;
    this.weights = weights;
    this.invFreq = Rope.inverseFrequencies(config);
  }

  // ---------------------------------------------------------------- construction: a Hugging Face folder, or random

  /**
   * Loads a Hugging Face model folder ({@code config.json} + safetensors, sharded or not) onto {@code device}
   * in {@code dtype}. bf16 checkpoints are widened in Java (exact), then narrowed to fp16 if asked.
   */
  public static LlamaModel load(Path dir, DataType dtype, Device device) {
    checkDtype(dtype);
    LlamaConfig config = LlamaConfig.read(dir);
    NDManager m = NDManager.newBaseManager(device);
    try {
      return new LlamaModel(config, dtype, m, LlamaWeights.load(dir, config, dtype, m));
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * A randomly initialised model as Transformers initialises one: linear and embedding weights
   * N(0, 0.02²), norm weights 1. Drawn in Java from {@code seed}, so it is the same on every device.
   */
  public static LlamaModel random(LlamaConfig config, DataType dtype, Device device, long seed) {
    checkDtype(dtype);
    NDManager m = NDManager.newBaseManager(device);
    return new LlamaModel(config, dtype, m, LlamaWeights.random(config, dtype, m, seed));
  }

  /**
   * A randomly initialised model drawn by the engine on {@code device} (N(0, 0.02²), norms 1), in seconds even at
   * 3.9 B parameters, where {@link #random} draws every number in Java. The values depend on the engine and
   * device, so use it for benchmarks and memory checks, never for golden numbers.
   */
  public static LlamaModel randomOnDevice(LlamaConfig config, DataType dtype, Device device, long seed) {
    checkDtype(dtype);
    NDManager m = NDManager.newBaseManager(device);
    return new LlamaModel(config, dtype, m, LlamaWeights.randomOnDevice(config, dtype, m, seed));
  }

  private static void checkDtype(DataType dtype) {
    if (dtype == DataType.BFLOAT16) {
      NativeOps.requireBf16(); // DJL's JNI lacks bf16; the extension adds it (or this names what is missing)
    } else if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
      throw new IllegalArgumentException("the model runs in FLOAT32, FLOAT16 or BFLOAT16, not " + dtype);
    }
  }

  // ---------------------------------------------------------------- the forward pass

  /**
   * Next-token logits for a batch of token ids.
   *
   * @param ids           (B, T) INT64 token ids
   * @param attentionMask (B, T) 1 for real tokens, 0 for padding; null when nothing is padded
   * @param training      whether adapter dropout is active
   * @return (B, T, V) logits in the model's dtype; take the log-softmax in fp32 ({@link NextTokenLoss})
   */
  public NDArray forward(NDArray ids, NDArray attentionMask, boolean training) {
    return lmHead(hidden(ids, attentionMask, training));
  }

  /** The final normalised hidden states (B, T, H): what the LM head reads. */
  public NDArray hidden(NDArray ids, NDArray attentionMask, boolean training) {
    NDManager sm = ids.getManager(); // every intermediate lands here, never in the weights' manager
    long t = ids.getShape().get(1);
    NDArray x = Ops.embedding(ids, embeddings(sm)); // (B, T, H)

    // Rotary tables for positions 0..T-1, computed once per forward and shared by every layer.
    NDArray[] cosSin = rotary(sm, t); // 2 × (T, hd)
    // One additive mask for every layer: 0 where a query may look, a huge negative number where not.
    NDArray mask = AttentionMask.additive(sm, 0, t, attentionMask); // (B or 1, 1, T, T) fp32

    for (int i = 0; i < config.numLayers(); i++) {
      seedDropout(i, training);
      x = blockScoped(i, x, cosSin[0], cosSin[1], mask, training, sm);
    }
    return finalNorm(x);
  }

  /**
   * {@link #block} with its intermediates in a manager of their own, closed when the block is done, so only the
   * block's output (B, T, H) stays in {@code keep}. Why: DJL frees native memory when an array is closed, not
   * when it is unreachable; without this every layer's (B, nh, T, T) score matrices (and their fp32 copies)
   * would live until the step ends — over 5 GiB per layer at 4 × 2048 for Nanbeige. Under autograd, closing
   * the Java handles is safe: the graph keeps its own references to what the backward pass needs.
   */
  NDArray blockScoped(int i, NDArray x, NDArray cos, NDArray sin, NDArray mask, boolean training, NDManager keep) {
    try (NDManager bm = keep.newSubManager()) {
      x.tempAttach(bm); // ops put results in their first operand's manager: x's, now bm; x returns on close
      NDArray out = block(i, x, cos, sin, mask, training, null);
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
   * The LM head and the summed loss of aligned targets: {@link NextTokenLoss#alignedSum} of {@link #lmHead}, or, with
   * the native extension, both fused so the (B, T, V) logits are never whole ({@link #setHeadChunkLogits} at a time).
   */
  NDArray headLossSum(NDArray hidden, NDArray targets) {
    if (NativeOps.enabled()) {
      NDArray head = config.tieWordEmbeddings() ? embeddings(hidden.getManager()) : w("lm_head.weight");
      return NativeOps.headLossSum(hidden, head, targets, Math.max(1, headChunkLogits / config.vocabSize()));
    }
    return NextTokenLoss.alignedSum(lmHead(hidden), targets);
  }

  /**
   * The summed next-token loss of a batch (a 0-d fp32 array, differentiable): {@link NextTokenLoss#sum} of
   * {@link #forward}. With the native extension the LM head is fused with the loss ({@link #headLossSum}), so the
   * (B, T, V) logits are never kept for the backward pass; without it, exactly {@code lossSum(forward(…), labels)}.
   */
  public NDArray lossSum(NDArray ids, NDArray attentionMask, NDArray labels, boolean training) {
    if (!NativeOps.enabled()) {
      return lossSum(forward(ids, attentionMask, training), labels);
    }
    return headLossSum(hidden(ids, attentionMask, training), NextTokenLoss.alignedTargets(labels));
  }

  /** The summed next-token loss of these logits: {@link NextTokenLoss#sum}. */
  public static NDArray lossSum(NDArray logits, NDArray labels) {
    return NextTokenLoss.sum(logits, labels);
  }

  /**
   * One transformer block: pre-norm attention and pre-norm MLP, each added to the residual stream. With a
   * {@code cache} (decoding), the attention also sees the keys and values cached before these positions.
   */
  NDArray block(int i, NDArray x, NDArray cos, NDArray sin, NDArray mask, boolean training, KvCache cache) {
    String p = "model.layers." + i + ".";
    NDArray h = rmsNorm(x, w(p + "input_layernorm.weight"));
    x = x.add(attention(i, h, cos, sin, mask, training, cache));              // (B, T, H)
    h = rmsNorm(x, w(p + "post_attention_layernorm.weight"));
    // SwiGLU: silu(gate) acts as a learned, smooth gate on the up projection.
    NDArray gate = proj(i, "gate_proj", h, training);                          // (B, T, I)
    NDArray up = proj(i, "up_proj", h, training);                              // (B, T, I)
    NDArray act = Ops.swiglu(gate, up);                                        // silu(g) * u
    return x.add(proj(i, "down_proj", act, training));                         // (B, T, H)
  }

  /**
   * Grouped-query self-attention with rotary positions, causal + padding mask and an fp32 softmax. With a
   * {@code cache}, the new keys and values are appended to the cached ones and the queries attend over all.
   */
  private NDArray attention(int i, NDArray h, NDArray cos, NDArray sin, NDArray mask, boolean training,
                            KvCache cache) {
    NDArray[] qkv = qkv(i, h, cos, sin, training);
    NDArray[] kv = cache == null ? new NDArray[] {qkv[1], qkv[2]} : cache.extend(i, qkv[1], qkv[2]); // (B, nkv, S, hd)
    return attend(i, qkv[0], kv[0], kv[1], mask, training);                  // (B, T, H)
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

  /** Attention of queries (B, nh, T, hd) over keys and values (B, nkv, S, hd), then the output projection. */
  private NDArray attend(int i, NDArray q, NDArray k, NDArray v, NDArray mask, boolean training) {
    long b = q.getShape().get(0);
    long t = q.getShape().get(2);
    NDArray y = Attention.sdpa(q, k, v, mask);                                                // (B, nh, T, hd)
    y = y.transpose(0, 2, 1, 3).reshape(b, t, (long) config.numHeads() * config.headDim());   // (B, T, nh*hd)
    return proj(i, "o_proj", y, training);                                                    // (B, T, H)
  }

  /**
   * A linear layer of block {@code i} by its HF module name, plus the adapter's update when it adapts the module:
   * {@code y = x·Wᵀ + delta(x)} (for LoRA, {@code delta(x) = scale · B(A(dropout(x)))}).
   */
  private NDArray proj(int i, String module, NDArray x, boolean training) {
    String name = LlamaWeights.modulePath(i, module);
    NDArray y = Ops.linear(x, w(name + ".weight"), weights.get(name + ".bias"));
    if (adapter != null && adapter.adapts(module)) {
      y = y.add(Ops.cast(adapter.delta(name, x, training), y.getDataType()));
    }
    return y;
  }

  /**
   * RMSNorm: {@code x / sqrt(mean(x²) + eps) · weight}, the statistics in fp32 whatever the model dtype
   * (squares of fp16 activations overflow), the result cast back before the weight, as Transformers does.
   */
  NDArray rmsNorm(NDArray x, NDArray weight) {
    if (NativeOps.enabled()) {
      return NativeOps.rmsNorm(x, weight, config.rmsNormEps());
    }
    NDArray x32 = Ops.cast(x, DataType.FLOAT32);                                              // (B, T, H)
    NDArray inv = Ops.rsqrt(Ops.plus(x32.square().mean(new int[] {-1}, true), config.rmsNormEps())); // (B, T, 1)
    return Ops.cast(x32.mul(inv), x.getDataType()).mul(weight);
  }

  NDArray finalNorm(NDArray x) { // the last block's output normalised: what the LM head reads
    return rmsNorm(x, w("model.norm.weight"));
  }

  NDArray[] rotary(NDManager sm, long t) { // cos and sin (T, hd) for positions 0..T−1 in the model dtype
    return Rope.cosSin(sm, invFreq, t, config, dtype);
  }

  /**
   * The embedding table (V, H): the base's, or, when the attached adapter replaces some rows, the table with
   * those rows put in (built in {@code sm}, differentiable in the rows).
   */
  NDArray embeddings(NDManager sm) {
    NDArray table = w("model.embed_tokens.weight");
    return adapter != null && adapter.replacesEmbeddingRows() ? adapter.embeddingTable(table, sm) : table;
  }

  // ---------------------------------------------------------------- decoding with a key/value cache

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
    NDArray x = Ops.embedding(ids, embeddings(sm));                                        // (B, T, H)
    NDArray[] cosSin = Rope.cosSinAt(positions, invFreq, dtype);                            // 2 × (B, 1, T, hd)
    NDArray mask = AttentionMask.additive(sm, cache.length(), t, keyMask);                 // (B, 1, T, S+T)
    for (int i = 0; i < config.numLayers(); i++) {
      x = block(i, x, cosSin[0], cosSin[1], mask, false, cache);
    }
    NDArray logits = lmHead(finalNorm(x));
    cache.commit(t);
    return logits;
  }

  // ---------------------------------------------------------------- training with less memory, weights, adapter

  /** Forward and backward with one block's activations in memory ({@link CheckpointedBackward}): the loss sum. */
  public double forwardBackwardCheckpointed(NDArray ids, NDArray attentionMask, NDArray labels, double gradScale,
                                            boolean training) {
    return forwardBackwardCheckpointedSum(ids, attentionMask, labels, gradScale, training).getDouble();
  }

  /**
   * {@link #forwardBackwardCheckpointed} with the loss sum left on the device: a float64 0-d array in the ids'
   * manager, the fp32 sums of the head's slices added in order. Why: reading it is a device synchronisation; a
   * training loop adds it to the step's total and reads once per optimizer step.
   */
  public NDArray forwardBackwardCheckpointedSum(NDArray ids, NDArray attentionMask, NDArray labels, double gradScale,
                                                boolean training) {
    return CheckpointedBackward.run(this, ids, attentionMask, labels, gradScale, training);
  }

  /** Caps the logits the checkpointed head computes at once (default 2²⁸, 1 GiB in fp32). */
  public void setHeadChunkLogits(long logits) {
    this.headChunkLogits = logits;
  }

  /**
   * Reproducible dropout: block i reseeds the engine from (seed, i), so a recomputation or a resume draws the same
   * masks. −1 turns it off.
   */
  public void setDropoutSeed(long seed) {
    this.dropoutSeed = seed;
  }

  void seedDropout(int layer, boolean training) {
    if (training && dropoutSeed >= 0) {
      Engine.getInstance().setRandomSeed((int) ((dropoutSeed * 1_000_003L + layer) & 0x7fffffff));
    }
  }

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

  public NDManager manager() { // owns the weights; create per-step sub-managers from it
    return manager;
  }

  /** The weights by Hugging Face name (read-only view of the live arrays). */
  public Map<String, NDArray> weights() {
    return Collections.unmodifiableMap(weights);
  }

  /** Attaches an adapter (or detaches with null); the base weights stay frozen and unchanged. */
  public void attach(Adapter a) {
    if (a != null) {
      a.bind(w("model.embed_tokens.weight")); // replaced embedding rows may start as the base's rows
    }
    this.adapter = a;
  }

  public Adapter adapter() { // the attached adapter, or null
    return adapter;
  }

  /** Makes every base weight trainable or frozen (pre-training trains them all; LoRA freezes them). */
  public void setBaseTrainable(boolean trainable) {
    weights.values().forEach(a -> a.setRequiresGradient(trainable));
    embeddingTrains = trainable;
  }

  /** Whether the embedding lookup needs gradients: pre-training, or an adapter's replaced rows. */
  boolean embeddingTrains() {
    return embeddingTrains || (adapter != null && adapter.replacesEmbeddingRows());
  }

  /** Writes the base weights as one {@code model.safetensors} in the model dtype (Transformers' names). */
  public void save(Path file) {
    SafetensorsWriter.write(file, weights, Map.of("format", "pt"));
  }

  @Override
  public void close() {
    manager.close();
  }
}
