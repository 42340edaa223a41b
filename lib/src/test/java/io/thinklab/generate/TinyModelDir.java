package io.thinklab.generate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.lora.LoraConfig;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A complete tiny model folder for CLI tests: random Llama weights, a character-level {@code tokenizer.json}
 * (one token per character, {@code <s>} prepended, {@code </s>}, {@code <think>}, {@code </think>} as special
 * tokens) and {@code tokenizer_config.json}; optionally a run folder with a non-zero adapter.
 */
public final class TinyModelDir {
  private TinyModelDir() {}

  static final String CHARS = " abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?+-*/=%()<>'\"\n";
  static final List<String> SPECIAL = List.of("<unk>", "<s>", "</s>", "<think>", "</think>");
  public static final int VOCAB = SPECIAL.size() + CHARS.length();

  public static LlamaConfig config() {
    return LlamaConfig.parse("""
        {"model_type": "llama", "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": %d, "rope_theta": 10000,
         "rms_norm_eps": 1e-05, "tie_word_embeddings": false, "max_position_embeddings": 512,
         "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "float32"}""".formatted(VOCAB), "tiny");
  }

  /** Writes the model folder into {@code dir}. */
  public static Path write(Path dir, long seed) throws IOException {
    Files.createDirectories(dir);
    LlamaConfig c = config();
    Files.writeString(dir.resolve("config.json"), """
        {"model_type": "llama", "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": %d, "rope_theta": 10000,
         "rms_norm_eps": 1e-05, "tie_word_embeddings": false, "max_position_embeddings": 512,
         "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "float32"}""".formatted(VOCAB));
    try (LlamaModel m = LlamaModel.random(c, DataType.FLOAT32, Device.cpu(), seed)) {
      m.save(dir.resolve("model.safetensors"));
    }
    Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson());
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\"}");
    return dir;
  }

  /** Writes a run folder ({@code run/adapter}) with a non-zero adapter on the model in {@code modelDir}. */
  public static Path writeRun(Path run, Path modelDir, long seed) {
    LoraConfig lc = new LoraConfig(4, 8, 0.0, List.of("q_proj", "v_proj"), false, modelDir.toString());
    try (LoraAdapter a = LoraAdapter.init(config(), lc, Device.cpu(), seed)) {
      Random r = new Random(seed);
      for (NDArray t : a.parameters()) {
        float[] v = new float[(int) t.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (r.nextGaussian() * 0.3);
        }
        t.set(v);
      }
      a.save(run.resolve("adapter"));
    }
    return run;
  }

  static String tokenizerJson() throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    ObjectNode vocab = json.createObjectNode();
    for (int i = 0; i < SPECIAL.size(); i++) {
      added.addObject().put("id", i).put("content", SPECIAL.get(i)).put("single_word", false).put("lstrip", false)
          .put("rstrip", false).put("normalized", false).put("special", true);
      vocab.put(SPECIAL.get(i), i);
    }
    for (int i = 0; i < CHARS.length(); i++) {
      vocab.put(String.valueOf(CHARS.charAt(i)), SPECIAL.size() + i);
    }
    root.putNull("normalizer");
    root.putObject("pre_tokenizer").put("type", "Split").put("behavior", "Isolated").put("invert", false)
        .putObject("pattern").put("Regex", ".");
    ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
    post.putArray("single").addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
    ((ArrayNode) post.get("single")).addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    post.putArray("pair").addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ((ArrayNode) post.get("pair")).addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode bos = post.putObject("special_tokens").putObject("<s>").put("id", "<s>");
    bos.putArray("ids").add(1);
    bos.putArray("tokens").add("<s>");
    root.putObject("decoder").put("type", "Fuse");
    ObjectNode model = root.putObject("model").put("type", "BPE").put("unk_token", "<unk>").put("fuse_unk", false)
        .put("byte_fallback", false);
    model.putNull("dropout");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.set("vocab", vocab);
    model.putArray("merges");
    return json.writeValueAsString(root);
  }
}
