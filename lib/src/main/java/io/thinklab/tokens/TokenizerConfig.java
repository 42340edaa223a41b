package io.thinklab.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.data.TrainingFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of a Hugging Face {@code tokenizer_config.json} that training needs: the special tokens
 * (BOS, EOS, PAD), whether BOS/EOS are added automatically, the added tokens by id, and the chat template.
 *
 * <p>Special tokens appear either as plain strings or as objects with a {@code content} field; both are read.
 * Nanbeige4-3B-Base, for example, has BOS {@code <s>} (added), EOS {@code </s>} (not added) and
 * {@code <think>}/{@code </think>} as added special tokens 166103/166104.
 *
 * @param bosToken     beginning-of-sequence text, or null when the tokenizer has none
 * @param eosToken     end-of-sequence text, or null
 * @param padToken     padding text, or null (then training pads with EOS, as TRL does)
 * @param addBosToken  whether encoding prepends BOS (null when the file does not say)
 * @param addEosToken  whether encoding appends EOS (null when the file does not say)
 * @param addedTokens  added tokens by id, from {@code added_tokens_decoder}
 * @param chatTemplate the Jinja chat template, or null
 * @param source       where it was read from, for messages
 */
public record TokenizerConfig(String bosToken, String eosToken, String padToken, Boolean addBosToken,
                              Boolean addEosToken, Map<Integer, String> addedTokens, String chatTemplate,
                              String source) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public TokenizerConfig {
    addedTokens = Collections.unmodifiableMap(new TreeMap<>(addedTokens == null ? Map.of() : addedTokens));
  }

  /** Reads {@code tokenizer_config.json}, from the file itself or from the folder that holds it. */
  public static TokenizerConfig read(Path fileOrDir) {
    Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve("tokenizer_config.json") : fileOrDir;
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read tokenizer config: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": tokenizer config is not a JSON object");
    }
    Map<Integer, String> added = new TreeMap<>();
    JsonNode decoder = root.path("added_tokens_decoder");
    decoder.fields().forEachRemaining(e -> {
      try {
        added.put(Integer.parseInt(e.getKey()), text(e.getValue()));
      } catch (NumberFormatException nfe) {
        throw new IllegalArgumentException(file + ": added_tokens_decoder key '" + e.getKey() + "' is not a token id");
      }
    });
    JsonNode template = root.get("chat_template");
    String chatTemplate = template == null || template.isNull() ? null
        : template.isTextual() ? template.asText() : namedDefault(template);
    return new TokenizerConfig(text(root.get("bos_token")), text(root.get("eos_token")), text(root.get("pad_token")),
        bool(root.get("add_bos_token")), bool(root.get("add_eos_token")), added, chatTemplate, file.toString());
  }

  /**
   * The EOS text of the tokenizer in {@code tokenizerDirOrFile}: its {@code tokenizer_config.json}'s
   * {@code eos_token}, or, when there is none, the seed's {@code </s>} ({@link TrainingFormat#SEED_EOS}). The one
   * EOS lookup: training appends this text to every example, and generation stops on it.
   */
  public static String eosOf(Path tokenizerDirOrFile) {
    Path dir = Files.isDirectory(tokenizerDirOrFile) ? tokenizerDirOrFile
        : tokenizerDirOrFile.toAbsolutePath().getParent();
    return Files.exists(dir.resolve("tokenizer_config.json")) ? read(dir).eosOrSeed() : TrainingFormat.SEED_EOS;
  }

  /** {@link #eosToken()}, or the seed's {@code </s>} when this config names none. */
  public String eosOrSeed() {
    return eosToken != null ? eosToken : TrainingFormat.SEED_EOS;
  }

  /**
   * The model's own {@code chat_template} as a training format, with this config's EOS and BOS texts. Throws when
   * the config has no template, or when Jinjava cannot render it (the message names the feature and the line).
   */
  public TrainingFormat trainingFormat() {
    if (chatTemplate == null) {
      throw new IllegalArgumentException(source + ": tokenizer config has no chat_template");
    }
    return TrainingFormat.template(chatTemplate, eosToken, bosToken, source);
  }

  /** The id of an added token by its text, or -1. */
  public int addedTokenId(String content) {
    for (Map.Entry<Integer, String> e : addedTokens.entrySet()) {
      if (e.getValue().equals(content)) {
        return e.getKey();
      }
    }
    return -1;
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return node.isObject() ? node.path("content").asText(null) : node.asText();
  }

  private static Boolean bool(JsonNode node) {
    return node == null || node.isNull() ? null : node.asBoolean();
  }

  /** Some configs hold a list of named templates; the one named "default" is the chat template. */
  private static String namedDefault(JsonNode list) {
    for (JsonNode t : list) {
      if ("default".equals(t.path("name").asText())) {
        return t.path("template").asText();
      }
    }
    return null;
  }
}
