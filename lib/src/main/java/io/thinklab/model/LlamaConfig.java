package io.thinklab.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a Llama-architecture causal language model, read from a Hugging Face {@code config.json}.
 *
 * <p>Nanbeige4-3B-Base, SmolLM2 and Llama 3.x all use this architecture ({@code model_type: llama}):
 * token embeddings, {@code numLayers} blocks of RMSNorm → grouped-query attention with rotary positions →
 * RMSNorm → SwiGLU MLP, a final RMSNorm and an LM head (tied to the embeddings or not).
 *
 * @param hiddenSize            width of the residual stream (Nanbeige: 2560)
 * @param intermediateSize      width of the SwiGLU MLP (10496)
 * @param numLayers             transformer blocks (32)
 * @param numHeads              query heads (20)
 * @param numKvHeads            key/value heads, fewer than query heads under GQA (4)
 * @param headDim               width of one head (hidden / heads unless the config says otherwise)
 * @param vocabSize             rows of the embedding matrix (166144)
 * @param ropeTheta             rotary base frequency (5,000,000)
 * @param rmsNormEps            RMSNorm epsilon (1e-5)
 * @param tieWordEmbeddings     whether the LM head reuses the embedding matrix (false for Nanbeige)
 * @param maxPositionEmbeddings longest position the model was trained for
 * @param ropeScaling           the raw {@code rope_scaling} object (e.g. Llama 3.1's "llama3" type), or empty
 * @param bosTokenId            beginning-of-sequence id, or -1
 * @param eosTokenId            end-of-sequence id, or -1
 * @param torchDtype            the dtype the checkpoint was saved in ("bfloat16", "float32" …)
 */
public record LlamaConfig(int hiddenSize, int intermediateSize, int numLayers, int numHeads, int numKvHeads,
                          int headDim, int vocabSize, double ropeTheta, double rmsNormEps,
                          boolean tieWordEmbeddings, int maxPositionEmbeddings, Map<String, Object> ropeScaling,
                          int bosTokenId, int eosTokenId, String torchDtype) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public LlamaConfig {
    ropeScaling = ropeScaling == null ? Map.of() : Map.copyOf(ropeScaling);
    if (hiddenSize <= 0 || numLayers <= 0 || numHeads <= 0 || numKvHeads <= 0 || vocabSize <= 0 || headDim <= 0) {
      throw new IllegalArgumentException("model sizes must be positive: " + this);
    }
    if (numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException("num_attention_heads (" + numHeads
          + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
    }
  }

  /** Reads a {@code config.json} (the file, or the model folder holding it). Rejects non-Llama models. */
  public static LlamaConfig read(Path fileOrDir) {
    Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve("config.json") : fileOrDir;
    try {
      return fromJson(JSON.readTree(file.toFile()), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read model config: " + e.getMessage(), e);
    }
  }

  /** Parses the JSON text of a {@code config.json}; {@code source} names it in error messages. */
  public static LlamaConfig parse(String json, String source) {
    try {
      return fromJson(JSON.readTree(json), source);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  private static LlamaConfig fromJson(JsonNode n, String source) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(source + ": model config is not a JSON object");
    }
    String type = n.path("model_type").asText("");
    if (!type.equals("llama")) {
      throw new IllegalArgumentException(source + ": model_type is '" + type
          + "'; ThinkLab's model implements the Llama architecture (model_type 'llama')");
    }
    int hidden = required(n, "hidden_size", source);
    int heads = required(n, "num_attention_heads", source);
    @SuppressWarnings("unchecked")
    Map<String, Object> scaling = n.hasNonNull("rope_scaling") ? JSON.convertValue(n.get("rope_scaling"), Map.class)
        : Map.of();
    return new LlamaConfig(hidden, required(n, "intermediate_size", source), required(n, "num_hidden_layers", source),
        heads, n.path("num_key_value_heads").asInt(heads), n.path("head_dim").asInt(hidden / heads),
        required(n, "vocab_size", source), n.path("rope_theta").asDouble(10000.0), n.path("rms_norm_eps").asDouble(1e-6),
        n.path("tie_word_embeddings").asBoolean(false), n.path("max_position_embeddings").asInt(2048), scaling,
        firstId(n.get("bos_token_id")), firstId(n.get("eos_token_id")), n.path("torch_dtype").asText("float32"));
  }

  private static int required(JsonNode n, String key, String source) {
    JsonNode v = n.get(key);
    if (v == null || !v.canConvertToInt()) {
      throw new IllegalArgumentException(source + ": missing or non-integer '" + key + "'");
    }
    return v.asInt();
  }

  /** Llama 3 configs may give a list of EOS ids; the first is the canonical one. */
  private static int firstId(JsonNode v) {
    if (v == null || v.isNull()) {
      return -1;
    }
    return v.isArray() ? (v.isEmpty() ? -1 : v.get(0).asInt()) : v.asInt();
  }

  /** Query heads that share one key/value head. */
  public int groupSize() {
    return numHeads / numKvHeads;
  }

  /**
   * The weight shape {@code [out, in]} of every linear layer in one block, by Hugging Face module name
   * ({@code q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj}). LoRA targets these by name.
   */
  public Map<String, int[]> blockLinearShapes() {
    Map<String, int[]> m = new LinkedHashMap<>();
    int q = numHeads * headDim;
    int kv = numKvHeads * headDim;
    m.put("q_proj", new int[] {q, hiddenSize});
    m.put("k_proj", new int[] {kv, hiddenSize});
    m.put("v_proj", new int[] {kv, hiddenSize});
    m.put("o_proj", new int[] {hiddenSize, q});
    m.put("gate_proj", new int[] {intermediateSize, hiddenSize});
    m.put("up_proj", new int[] {intermediateSize, hiddenSize});
    m.put("down_proj", new int[] {hiddenSize, intermediateSize});
    return m;
  }

  /** Parameters of one transformer block: its linear layers and its two RMSNorm weights. */
  public long blockParameters() {
    long n = 2L * hiddenSize;
    for (int[] s : blockLinearShapes().values()) {
      n += (long) s[0] * s[1];
    }
    return n;
  }

  /** Parameters of the embedding matrix (and of the LM head, which has the same shape). */
  public long embeddingParameters() {
    return (long) vocabSize * hiddenSize;
  }

  /** All parameters: embeddings, blocks, final norm and an untied LM head. Nanbeige4-3B: 3,933,637,120. */
  public long totalParameters() {
    return embeddingParameters() * (tieWordEmbeddings ? 1 : 2) + numLayers * blockParameters() + hiddenSize;
  }

  /** Parameters outside the embedding matrix and the LM head. Nanbeige4-3B: about 3.08 B. */
  public long nonEmbeddingParameters() {
    return numLayers * blockParameters() + hiddenSize;
  }
}
