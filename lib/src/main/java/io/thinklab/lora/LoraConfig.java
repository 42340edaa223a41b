package io.thinklab.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of a LoRA adapter, as PEFT's {@code LoraConfig} (and its {@code adapter_config.json}).
 *
 * <p>Each targeted linear layer {@code W [out, in]} gains {@code A [r, in]} and {@code B [out, r]}; its
 * output becomes {@code x·Wᵀ + scaling · (dropout(x)·Aᵀ)·Bᵀ} with {@code scaling = alpha / r}, or
 * {@code alpha / √r} under rsLoRA. The seed run used r = 16, alpha = 32, dropout 0.05 on q/k/v/o.
 *
 * @param r                   rank of the update
 * @param alpha               {@code lora_alpha}: the update's scale numerator
 * @param dropout             {@code lora_dropout}: dropout on the adapter's input only
 * @param targetModules       HF module names to adapt (q_proj … down_proj)
 * @param useRslora           scale by alpha/√r instead of alpha/r
 * @param baseModelNameOrPath the base model's hub id or folder, recorded for whoever loads the adapter
 */
public record LoraConfig(int r, double alpha, double dropout, List<String> targetModules, boolean useRslora,
                         String baseModelNameOrPath, List<Integer> trainableTokenIndices) {

  /** The file name PEFT reads and writes. */
  public static final String FILE = "adapter_config.json";
  /** The PEFT release whose {@code adapter_config.json} fields this writes. */
  public static final String PEFT_VERSION = "0.18.1";

  /** Plain LoRA: no embedding rows train. */
  public LoraConfig(int r, double alpha, double dropout, List<String> targetModules, boolean useRslora,
                    String baseModelNameOrPath) {
    this(r, alpha, dropout, targetModules, useRslora, baseModelNameOrPath, List.of());
  }

  /**
   * The same adapter that also trains the embedding rows of these token ids (PEFT's
   * {@code trainable_token_indices}). Why: a token the base never saw (here {@code </think>}) has an untrained
   * embedding row, and LoRA on the attention projections cannot move it, so the model can hardly learn to emit it.
   */
  public LoraConfig withTrainableTokens(List<Integer> ids) {
    return new LoraConfig(r, alpha, dropout, targetModules, useRslora, baseModelNameOrPath, ids);
  }

  /** The same adapter recorded on another base model ({@code base_model_name_or_path}). */
  public LoraConfig withBase(String baseModel) {
    return new LoraConfig(r, alpha, dropout, targetModules, useRslora, baseModel, trainableTokenIndices);
  }

  public LoraConfig {
    targetModules = List.copyOf(targetModules);
    trainableTokenIndices = trainableTokenIndices == null ? List.of() : List.copyOf(trainableTokenIndices);
    if (trainableTokenIndices.stream().distinct().count() != trainableTokenIndices.size()
        || trainableTokenIndices.stream().anyMatch(i -> i < 0)) {
      throw new IllegalArgumentException("trainable_token_indices must be distinct ids ≥ 0: " + trainableTokenIndices);
    }
    if (r <= 0) {
      throw new IllegalArgumentException("LoRA rank r must be positive, got " + r);
    }
    if (dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("lora_dropout must be in [0, 1), got " + dropout);
    }
    if (targetModules.isEmpty()) {
      throw new IllegalArgumentException("LoRA needs at least one target module");
    }
    targetModules.forEach(LlamaWeights::moduleGroup); // rejects unknown module names
  }

  /** The seed run's adapter: r 16, alpha 32, dropout 0.05 on the attention projections. */
  public static LoraConfig seed(String baseModel) {
    return new LoraConfig(16, 32, 0.05, List.of("q_proj", "k_proj", "v_proj", "o_proj"), false, baseModel);
  }

  /** The factor on the low-rank update: {@code alpha / r}, or {@code alpha / √r} with rsLoRA. */
  public double scaling() {
    return useRslora ? alpha / Math.sqrt(r) : alpha / r;
  }

  /** Trainable parameters on a model: {@code Σ_layers Σ_targets r·(in + out)}. Nanbeige4-3B r16 q/k/v/o: 8,388,608. */
  public long trainableParameters(LlamaConfig model) {
    long perLayer = 0;
    for (String m : targetModules) {
      int[] s = model.blockLinearShapes().get(m);
      perLayer += (long) r * (s[0] + s[1]);
    }
    return perLayer * model.numLayers() + (long) trainableTokenIndices.size() * model.hiddenSize();
  }

  /** The JSON PEFT 0.18.1 writes for this config (every field, in PEFT's order; inference_mode true). */
  public ObjectNode toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode n = json.createObjectNode();
    n.putNull("alora_invocation_tokens");
    n.putObject("alpha_pattern");
    n.putNull("arrow_config");
    n.putNull("auto_mapping");
    n.put("base_model_name_or_path", baseModelNameOrPath);
    n.put("bias", "none");
    n.putNull("corda_config");
    n.put("ensure_weight_tying", false);
    n.putNull("eva_config");
    n.putNull("exclude_modules");
    n.put("fan_in_fan_out", false);
    n.put("inference_mode", true);
    n.put("init_lora_weights", true);
    n.putNull("layer_replication");
    n.putNull("layers_pattern");
    n.putNull("layers_to_transform");
    n.putObject("loftq_config");
    if (alpha == Math.rint(alpha)) {
      n.put("lora_alpha", (long) alpha); // PEFT keeps the int the user gave
    } else {
      n.put("lora_alpha", alpha);
    }
    n.put("lora_bias", false);
    n.put("lora_dropout", dropout);
    n.putNull("megatron_config");
    n.put("megatron_core", "megatron.core");
    n.putNull("modules_to_save");
    n.put("peft_type", "LORA");
    n.put("peft_version", PEFT_VERSION);
    n.put("qalora_group_size", 16);
    n.put("r", r);
    n.putObject("rank_pattern");
    n.putNull("revision");
    targetModules.forEach(n.putArray("target_modules")::add);
    n.putNull("target_parameters");
    n.put("task_type", "CAUSAL_LM");
    if (trainableTokenIndices.isEmpty()) {
      n.putNull("trainable_token_indices");
    } else {
      trainableTokenIndices.forEach(n.putArray("trainable_token_indices")::add);
    }
    n.put("use_dora", false);
    n.put("use_qalora", false);
    n.put("use_rslora", useRslora);
    return n;
  }

  /** Writes {@code adapter_config.json} into {@code dir}, indented as PEFT does. */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(FILE),
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson()));
    } catch (IOException e) {
      throw new UncheckedIOException(dir.resolve(FILE) + ": cannot write: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an {@code adapter_config.json} (a file, or the adapter folder). Rejects what ThinkLab cannot
   * reproduce faithfully: other PEFT types, DoRA, biases, rank/alpha patterns, regex targets.
   */
  public static LoraConfig read(Path fileOrDir) {
    Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(FILE) : fileOrDir;
    JsonNode n;
    try {
      n = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read adapter config: " + e.getMessage(), e);
    }
    String source = file.toString();
    require(n.path("peft_type").asText("LORA").equals("LORA"), source, "peft_type is not LORA");
    require(!n.path("use_dora").asBoolean(false), source, "DoRA adapters are not supported");
    require(n.path("bias").asText("none").equals("none") && !n.path("lora_bias").asBoolean(false), source,
        "adapters with biases are not supported");
    require(n.path("rank_pattern").isEmpty() && n.path("alpha_pattern").isEmpty(), source,
        "per-module rank_pattern/alpha_pattern are not supported");
    require(n.path("target_modules").isArray(), source, "target_modules must be a list of module names");
    require(n.hasNonNull("r") && n.hasNonNull("lora_alpha"), source, "needs 'r' and 'lora_alpha'");
    List<String> targets = new ArrayList<>();
    n.path("target_modules").forEach(t -> targets.add(t.asText()));
    JsonNode tti = n.path("trainable_token_indices");
    require(tti.isMissingNode() || tti.isNull() || tti.isArray(), source,
        "trainable_token_indices must be a list of token ids (the per-layer dict form is not supported)");
    List<Integer> tokens = new ArrayList<>();
    tti.forEach(t -> tokens.add(t.asInt()));
    try {
      return new LoraConfig(n.path("r").asInt(), n.path("lora_alpha").asDouble(), n.path("lora_dropout").asDouble(0),
          targets, n.path("use_rslora").asBoolean(false), n.path("base_model_name_or_path").asText(null), tokens);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static void require(boolean ok, String source, String problem) {
    if (!ok) {
      throw new IllegalArgumentException(source + ": " + problem);
    }
  }
}
