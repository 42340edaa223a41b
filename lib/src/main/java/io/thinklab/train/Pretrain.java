package io.thinklab.train;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.thinklab.data.Dataset;
import io.thinklab.data.Triplet;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.tokens.TokenizerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Pre-training the lab's tiny base from scratch: the first stage of the lifecycle in miniature.
 *
 * <p>A real thinking-SFT run starts from a base model that already knows language and its domain
 * (Nanbeige4-3B-Base saw trillions of tokens, worked solutions among them). The tiny thinker starts from random
 * weights, so it first learns the lab's domain from plain text: each problem, its worked reasoning as ordinary
 * prose and its solution, <em>without</em> the {@code <think>} and {@code </think>} markers:
 * <pre>
 * User: {problem}
 * Assistant: {thinking}
 * {solution}&lt;/s&gt;
 * </pre>
 * Every token is trained (language modelling, not SFT: no prompt is masked). The LoRA stage then teaches this base
 * the one thing it has never seen: to put its reasoning between {@code <think>} and {@code </think>} and close it
 * before answering. Why the reasoning is in the base's text: a base that has never seen a word has an untrained
 * embedding for it, and LoRA on the attention projections cannot train embeddings (measured: a base pre-trained on
 * problem → solution lines alone started LoRA SFT on glm-style traces at a loss of 7.7, worse than guessing).
 *
 * <p>The base learns from the second half of each mini file (rows 1,001–2,000), cut at 192 tokens; notebooks
 * fine-tune on the first rows, so SFT shows it traces it has not memorised.
 *
 * <p>Use {@link #tinyBase()} in notebooks: it returns the cached base ({@code build/tiny-base/}) and trains it
 * (a few minutes on 2 cores) only when it is missing or was made with other settings. The CLI is
 * {@code thinklab pretrain}.
 */
public final class Pretrain {
  private Pretrain() {}

  /** The folder of the cached tiny base, relative to the checkout's root. */
  public static final String TINY_BASE = "build/tiny-base";

  /**
   * What to pre-train.
   *
   * @param profile   a built-in model profile name (tiny-thinker) whose {@code config.json} the base gets
   * @param tokenizer a folder with {@code tokenizer.json} (and {@code tokenizer_config.json} for EOS)
   * @param data      files of triplets
   * @param skipRows  rows skipped at the start of each file (kept for fine-tuning)
   * @param maxRows   rows read from each file after those (0 = the rest)
   * @param maxLength longer lines are cut (no markers to lose here: a cut line is still good text)
   * @param train     the loop's settings (fp32: full training keeps fp32 weights)
   */
  public record Settings(String profile, Path tokenizer, List<Path> data, int skipRows, int maxRows, int maxLength,
                         TrainConfig train) {

    /**
     * The lab's defaults: tiny-thinker, the tiny tokenizer, rows 1,001–2,000 of the opus- and glm-style mini files
     * (2,000 lines), cut at 192 tokens, 2 epochs, micro-batch 16, lr 3e-3 cosine with 5 % warmup, seed 42. Paths
     * under {@code root}.
     */
    public static Settings tiny(Path root) {
      return new Settings("tiny-thinker", root.resolve("data/tiny-tokenizer"),
          List.of(root.resolve("data/samples/opus-mini.jsonl"), root.resolve("data/samples/glm-mini.jsonl.gz")),
          1000, 1000, 192, new TrainConfig(16, 1, 2, 0, 3e-3, "cosine", 0.05, 0.0, 1.0, "fp32", 42, 0, 1, false));
    }

    public Settings withTrain(TrainConfig t) {
      return new Settings(profile, tokenizer, data, skipRows, maxRows, maxLength, t);
    }
  }

  /**
   * What pre-training did.
   *
   * @param modelDir the base model folder: {@code config.json}, {@code model.safetensors}, tokenizer files
   * @param lines    training lines (one per triplet)
   * @param tokens   tokens per epoch
   * @param steps    the optimizer steps run (empty when the cached base was reused)
   * @param reused   true when an existing base made with the same settings was returned
   */
  public record Result(Path modelDir, int lines, long tokens, List<Trainer.Step> steps, boolean reused) {

    /** The first and last step's loss, or NaN. */
    public double firstLoss() {
      return steps.isEmpty() ? Double.NaN : steps.get(0).loss();
    }

    public double lastLoss() {
      return steps.isEmpty() ? Double.NaN : steps.get(steps.size() - 1).loss();
    }
  }

  /**
   * One pre-training line: the seed's plain format without the markers — the problem, the reasoning as ordinary
   * prose, the solution, EOS.
   */
  public static String text(Triplet t, String eos) {
    return "User: " + t.problem() + "\nAssistant: " + t.thinking() + "\n" + t.solution() + eos;
  }

  /** The cached tiny base of this checkout ({@link #TINY_BASE}), trained first when missing or stale. */
  public static Path tinyBase() {
    return ensure(Settings.tiny(io.thinklab.preflight.Preflight.root()),
        io.thinklab.preflight.Preflight.root().resolve(TINY_BASE), s -> {}).modelDir();
  }

  /**
   * Returns the base in {@code out} when it was made with exactly these settings ({@code out/pretrain.json}),
   * else pre-trains it there.
   */
  public static Result ensure(Settings s, Path out, Consumer<Trainer.Step> onStep) {
    String stamp = stamp(s);
    try {
      if (Files.exists(out.resolve("model.safetensors")) && Files.exists(out.resolve("pretrain.json"))
          && Files.readString(out.resolve("pretrain.json")).equals(stamp)) {
        return new Result(out, -1, -1, List.of(), true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(out + ": " + e.getMessage(), e);
    }
    return run(s, out, onStep, false);
  }

  /**
   * Pre-trains from random weights into {@code out} (replacing what is there). Training files (metrics.jsonl,
   * checkpoints) go to {@code out/training/}; the base model folder is {@code out} itself.
   */
  public static Result run(Settings s, Path out, Consumer<Trainer.Step> onStep, boolean progressBar) {
    LlamaConfig config = io.thinklab.preflight.ModelProfiles.resolve(s.profile());
    String eos = TokenizerConfig.read(s.tokenizer()).eosToken();
    if (eos == null) {
      throw new IllegalArgumentException(s.tokenizer() + "/tokenizer_config.json: no eos_token");
    }
    // ---------------------------------------------------------------- data: lines → token ids, all trained
    List<Sequence> seqs = new ArrayList<>();
    long tokens = 0;
    try (HuggingFaceTokenizer tok = Tokenize.load(s.tokenizer())) {
      for (Path file : s.data()) {
        List<Triplet> rows = Dataset.load(file).lenient().minThinkingChars(0).read().triplets();
        int from = Math.min(s.skipRows(), rows.size());
        int to = s.maxRows() > 0 ? Math.min(rows.size(), from + s.maxRows()) : rows.size();
        for (Triplet t : rows.subList(from, to)) {
          long[] ids = tok.encode(text(t, eos), true, false).getIds();
          if (ids.length > s.maxLength()) {
            ids = java.util.Arrays.copyOf(ids, s.maxLength());
          }
          for (long id : ids) {
            if (id >= config.vocabSize()) {
              throw new IllegalArgumentException(s.tokenizer() + " gives id " + id + " but " + s.profile()
                  + " has " + config.vocabSize() + " embedding rows");
            }
          }
          seqs.add(new Sequence(t.id(), ids, ids)); // every token is a label: language modelling
          tokens += ids.length;
        }
      }
    }
    if (seqs.isEmpty()) {
      throw new IllegalArgumentException("pre-training: no rows in " + s.data());
    }
    // ---------------------------------------------------------------- model from random weights, full training
    try {
      deleteTree(out);
      Files.createDirectories(out);
      Path training = out.resolve("training");
      List<Trainer.Step> steps;
      try (LlamaModel model = LlamaModel.random(config, DataType.FLOAT32, Device.cpu(), s.train().seed())) {
        Trainer trainer = Trainer.full(model, seqs, s.train(), training).onStep(onStep);
        if (!progressBar) {
          trainer.quiet();
        }
        steps = trainer.run(false);
      }
      // the base model folder: weights, config, tokenizer; then the stamp that marks it complete
      Files.move(training.resolve("model").resolve("model.safetensors"), out.resolve("model.safetensors"),
          StandardCopyOption.REPLACE_EXISTING);
      try (InputStream in = Pretrain.class.getResourceAsStream("/io/thinklab/profiles/" + s.profile() + ".json")) {
        Files.write(out.resolve("config.json"), in.readAllBytes());
      }
      for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
        Files.copy(s.tokenizer().resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(out.resolve("pretrain.json"), stamp(s));
      return new Result(out, seqs.size(), tokens, steps, false);
    } catch (IOException e) {
      throw new UncheckedIOException(out + ": " + e.getMessage(), e);
    }
  }

  private static String stamp(Settings s) {
    try {
      return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(new java.util.TreeMap<>(java.util.Map.of(
              "profile", s.profile(), "tokenizer", s.tokenizer().getFileName().toString(),
              "data", s.data().stream().map(p -> p.getFileName().toString()).toList(),
              "skip_rows", s.skipRows(), "max_rows", s.maxRows(), "max_length", s.maxLength(), "train", s.train())))
          + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    boolean ours = Files.exists(dir.resolve("pretrain.json")) || Files.exists(dir.resolve("training"));
    try (var list = Files.list(dir)) {
      if (!ours && list.findAny().isPresent()) {
        throw new IllegalArgumentException(dir + " is not empty and holds no earlier pre-training: choose another"
            + " folder (pre-training replaces what is in it)");
      }
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
