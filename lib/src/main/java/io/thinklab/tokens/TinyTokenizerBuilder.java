package io.thinklab.tokens;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thinklab.data.Dataset;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the tiny thinker's tokenizer: a word-level Hugging Face {@code tokenizer.json} whose vocabulary is every
 * piece of the lab's mini sample files, so the same loading code serves the tiny model and the real ones.
 *
 * <p>How text becomes tokens: the special tokens ({@code <think>}, {@code </think>}, {@code </s>} …) are cut out
 * first; the rest is split by {@link #PIECES} into words with their leading space ({@code " apples"}), single
 * digits (so {@code 132} is {@code 1 3 2} and any number can be written), single spaces and newlines, and
 * punctuation marks with an optional leading space. Each piece is one token, or {@code <unk>} when it was never
 * seen. The decoder simply joins the pieces, so decoding gives the text back exactly.
 *
 * <p>Deterministic: ids 0–5 are {@code <pad> <s> </s> <unk> <think> </think>} (BOS 1 and EOS 2, as the
 * {@code tiny-thinker} profile says), then pieces by falling count, ties in string order. Regenerate with
 * <pre>{@code java -cp lib/target/thinklab.jar io.thinklab.tokens.TinyTokenizerBuilder data/tiny-tokenizer}</pre>
 * (run from the repository root); a test checks the committed files equal a fresh build.
 */
public final class TinyTokenizerBuilder {

  /** Where the committed tokenizer lives, relative to the repository root. */
  public static final Path DIR = Path.of("data/tiny-tokenizer");
  /** The sample files the vocabulary is read from, relative to the repository root. */
  public static final List<Path> SAMPLES = List.of(Path.of("data/samples/opus-mini.jsonl"),
      Path.of("data/samples/glm-mini.jsonl.gz"), Path.of("data/samples/eval-mini.jsonl"));
  /** Special tokens in id order. {@code <think>}/{@code </think>} are not "special": decoding keeps them. */
  public static final List<String> SPECIAL = List.of("<pad>", "<s>", "</s>", "<unk>", "<think>", "</think>");
  /** The pre-tokenizer's pattern, identical in Java and in the Rust tokenizers library (Oniguruma). */
  public static final String PIECES = " ?\\p{L}+| ?\\p{N}| ?[^\\t\\n\\r \\p{L}\\p{N}]|[\\t\\n\\r ]";

  private static final Pattern PIECE = Pattern.compile(PIECES);
  private static final Pattern SPECIALS = Pattern.compile(String.join("|", SPECIAL.stream().map(Pattern::quote)
      .toList()));

  private TinyTokenizerBuilder() {}

  /** The two files: {@code tokenizer.json} and {@code tokenizer_config.json}, as text. */
  public record Built(String tokenizerJson, String tokenizerConfigJson, int vocabSize) {}

  /** The training texts of the sample files under {@code root}: every row in the plain format, EOS included. */
  public static List<String> sampleTexts(Path root) {
    List<String> texts = new ArrayList<>();
    TrainingFormat plain = TrainingFormat.plain("</s>");
    for (Path p : SAMPLES) {
      for (Triplet t : Dataset.load(root.resolve(p)).minThinkingChars(0).read().triplets()) {
        texts.add(plain.format(t).text());
      }
    }
    return texts;
  }

  /** The pieces of {@code text} outside the special tokens, as the tokenizer's pre-tokenizer cuts them. */
  public static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    for (String part : SPECIALS.split(text)) {
      Matcher m = PIECE.matcher(part);
      while (m.find()) {
        out.add(m.group());
      }
    }
    return out;
  }

  /** Builds the tokenizer from {@code texts}; every printable ASCII character is in the vocabulary too. */
  public static Built build(List<String> texts) {
    Map<String, Integer> counts = new HashMap<>();
    for (String t : texts) {
      for (String p : pieces(t)) {
        counts.merge(p, 1, Integer::sum);
      }
    }
    for (char c = 32; c < 127; c++) { // any single character can still be written
      counts.putIfAbsent(String.valueOf(c), 0);
    }
    counts.putIfAbsent("\n", 0);
    SPECIAL.forEach(counts::remove);
    List<String> order = new ArrayList<>(counts.keySet());
    order.sort(Comparator.<String>comparingInt(counts::get).reversed().thenComparing(Comparator.naturalOrder()));

    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    ObjectNode vocab = json.createObjectNode();
    for (int i = 0; i < SPECIAL.size(); i++) {
      String s = SPECIAL.get(i);
      added.addObject().put("id", i).put("content", s).put("single_word", false).put("lstrip", false)
          .put("rstrip", false).put("normalized", false).put("special", !s.contains("think"));
      vocab.put(s, i);
    }
    for (int i = 0; i < order.size(); i++) {
      vocab.put(order.get(i), SPECIAL.size() + i);
    }
    root.putNull("normalizer");
    root.putObject("pre_tokenizer").put("type", "Split").put("behavior", "Isolated").put("invert", false)
        .putObject("pattern").put("Regex", PIECES);
    ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing"); // BOS first
    post.putArray("single").addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
    ((ArrayNode) post.get("single")).addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    post.putArray("pair").addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ((ArrayNode) post.get("pair")).addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode bos = post.putObject("special_tokens").putObject("<s>").put("id", "<s>");
    bos.putArray("ids").add(1);
    bos.putArray("tokens").add("<s>");
    root.putObject("decoder").put("type", "Fuse"); // pieces carry their spaces: joining them is the text
    ObjectNode model = root.putObject("model").put("type", "WordLevel");
    model.set("vocab", vocab);
    model.put("unk_token", "<unk>");

    ObjectNode cfg = json.createObjectNode();
    cfg.put("add_bos_token", true).put("add_eos_token", false).put("bos_token", "<s>").put("eos_token", "</s>")
        .put("pad_token", "<pad>").put("unk_token", "<unk>").put("model_max_length", 4096)
        .put("clean_up_tokenization_spaces", false).put("tokenizer_class", "PreTrainedTokenizerFast");
    ObjectNode dec = cfg.putObject("added_tokens_decoder");
    for (int i = 0; i < SPECIAL.size(); i++) {
      dec.putObject(String.valueOf(i)).put("content", SPECIAL.get(i)).put("lstrip", false).put("normalized", false)
          .put("rstrip", false).put("single_word", false).put("special", !SPECIAL.get(i).contains("think"));
    }
    try {
      var w = json.writer(new DefaultPrettyPrinter());
      return new Built(w.writeValueAsString(root) + "\n", w.writeValueAsString(cfg) + "\n",
          SPECIAL.size() + order.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds from the sample files under {@code root} and writes both files into {@code dir}. */
  public static Built write(Path root, Path dir) throws IOException {
    Built f = build(sampleTexts(root));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tokenizer.json"), f.tokenizerJson());
    Files.writeString(dir.resolve("tokenizer_config.json"), f.tokenizerConfigJson());
    return f;
  }

  /** {@code TinyTokenizerBuilder [dir]}: regenerates the tokenizer (default {@code data/tiny-tokenizer}). */
  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : DIR;
    Built f = write(Path.of(""), dir);
    System.out.println(dir + ": " + f.vocabSize() + " tokens");
  }
}
