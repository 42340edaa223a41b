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
import io.thinklab.tokens.Tokenizer;
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
 * (Nanbeige4-3B-Base saw trillions of tokens: worked solutions in textbooks, and questions answered directly in
 * chats and forums). The tiny thinker starts from random weights, so it first learns the lab's domain from two
 * kinds of plain text, like a real base's corpus in miniature:
 * <pre>
 * {problem}                       User: {problem}
 * {thinking}                      Assistant: {solution}&lt;/s&gt;
 * {solution}&lt;/s&gt;
 * </pre>
 * worked solutions (a textbook page: the reasoning as ordinary prose, no markers, no chat) and chats where the
 * assistant answers at once. So the base knows the arithmetic and the words of both teachers, and in a chat it
 * answers without working — the habit thinking SFT changes. Every token is trained (language modelling, no
 * prompt masked). The LoRA stage then teaches the one thing the base has never seen: in a chat, reason first
 * between {@code <think>} and {@code </think>}, close it, then answer. Why the reasoning must be in the base's
 * text: a base that never saw a word has an untrained embedding for it, and LoRA on the attention projections
 * cannot train embeddings (measured: such a base started LoRA SFT at a loss worse than guessing).
 *
 * <p>The base learns from the second half of each mini file (rows 1,001 on; {@link Settings#tiny} says how many
 * of each kind), cut at {@value #MAX_LENGTH} tokens (longer than any mini row); notebooks fine-tune on the first
 * rows, so SFT shows it traces it has not memorised.
 *
 * <p>Use {@link #tinyBase()} in notebooks: it returns the cached base ({@code build/tiny-base/}) and trains it
 * (a few minutes on 2 cores) only when it is missing or was made with other settings. The CLI is
 * {@code thinklab pretrain}.
 */
public final class Pretrain {
  private Pretrain() {}

  /** Tokens per pre-training line: longer than any row of the mini files, so no line is cut. */
  public static final int MAX_LENGTH = 448;

  /** The folder of the cached tiny base, relative to the checkout's root. */
  public static final String TINY_BASE = "build/tiny-base";

  /**
   * One file's share of the pre-training text: after skipping {@code skip} rows (kept for fine-tuning), the next
   * {@code worked} rows each give a worked solution, and the first {@code chats} of those also a direct-answer
   * chat ({@link #texts}). With {@code endings} false the worked solutions stop before the reasoning's last line
   * and have no solution or EOS ({@link #unfinished}): the base learns how such reasoning goes, never how it ends.
   */
  public record Source(Path file, int skip, int worked, int chats, boolean endings) {
    public Source {
      if (skip < 0 || worked < 0 || chats < 0 || chats > worked) {
        throw new IllegalArgumentException(file + ": need skip, worked ≥ 0 and 0 ≤ chats ≤ worked");
      }
    }
  }

  /**
   * What to pre-train.
   *
   * @param profile   a built-in model profile name (tiny-thinker) whose {@code config.json} the base gets
   * @param tokenizer a folder with {@code tokenizer.json} (and {@code tokenizer_config.json} for EOS)
   * @param sources   the files of triplets and how many lines of each kind each gives
   * @param maxLength longer lines are cut (no markers to lose here: a cut line is still good text)
   * @param train     the loop's settings (fp32: full training keeps fp32 weights)
   */
  public record Settings(String profile, Path tokenizer, List<Source> sources, int maxLength, TrainConfig train) {

    /**
     * The lab's defaults: tiny-thinker, the tiny tokenizer; worked solutions of opus-style mini rows 1,001–2,000
     * (the exact steps the base must learn to compute) with a direct-answer chat for the first 300 of them, and
     * worked solutions of glm-style rows 1,001–1,060 (its words, its redo rounds and how they end); 1,360 lines,
     * 10 epochs, micro-batch 16, lr 1e-3 cosine with 5 % warmup, seed 42. Paths under {@code root}. Measured: at
     * lr 3e-3 or with fewer passes the base never learned to copy the problem's numbers into its steps. A base
     * that read the glm-style traces without their endings ({@code endings} false) was measured too: the adapter
     * fine-tuned on whole rows then closed its reasoning less often than one trained on truncated rows.
     */
    public static Settings tiny(Path root) {
      return new Settings("tiny-thinker", root.resolve("data/tiny-tokenizer"),
          List.of(new Source(root.resolve("data/samples/opus-mini.jsonl"), 1000, 1000, 300, true),
              new Source(root.resolve("data/samples/glm-mini.jsonl.gz"), 1000, 60, 0, true)),
          MAX_LENGTH, TrainConfig.builder().batch(16, 1).epochs(10).lr(1e-3).seed(42)
              .checkpoints(0, 1).build());
    }

    public Settings withTrain(TrainConfig t) {
      return new Settings(profile, tokenizer, sources, maxLength, t);
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
  public record Result(Path modelDir, int lines, long tokens, List<StepReport> steps, boolean reused) {

    /** The first and last step's loss, or NaN. */
    public double firstLoss() {
      return steps.isEmpty() ? Double.NaN : steps.get(0).loss();
    }

    public double lastLoss() {
      return steps.isEmpty() ? Double.NaN : steps.get(steps.size() - 1).loss();
    }
  }

  /**
   * The pre-training lines of one triplet: a worked solution (problem, reasoning as ordinary prose, solution, EOS;
   * no markers, no chat) and a chat that answers at once ({@code User: {problem}\nAssistant: {solution}} EOS).
   */
  public static List<String> texts(Triplet t, String eos) {
    return List.of(t.problem() + "\n" + t.thinking() + "\n" + t.solution() + eos,
        "User: " + t.problem() + "\nAssistant: " + t.solution() + eos);
  }

  /** A worked solution that stops before the reasoning's last line: no conclusion, no solution, no EOS. */
  public static String unfinished(Triplet t) {
    String thinking = t.thinking().strip();
    int cut = thinking.lastIndexOf('\n');
    return t.problem() + "\n" + (cut < 0 ? "" : thinking.substring(0, cut + 1));
  }

  /**
   * The cached tiny base of this checkout for the lab's seed ({@link LabSeed}: 42, or {@code THINKLAB_SEED}),
   * trained first when missing or stale: {@link #TINY_BASE} for seed 42, {@code build/tiny-base-s<seed>} for
   * another, so bases of several seeds live side by side.
   */
  public static Path tinyBase() {
    return tinyBase(LabSeed.get());
  }

  /** The cached tiny base pre-trained with {@code seed} (initialisation and data order). */
  public static Path tinyBase(long seed) {
    Path root = io.thinklab.run.RunSources.root();
    Settings s = Settings.tiny(root);
    s = s.withTrain(s.train().withSeed(seed));
    return ensure(s, root.resolve(baseDir(seed)), st -> {}).modelDir();
  }

  /** Where the tiny base of {@code seed} is kept, relative to the checkout. */
  public static String baseDir(long seed) {
    return seed == LabSeed.DEFAULT ? TINY_BASE : TINY_BASE + "-s" + seed;
  }

  /**
   * Returns the base in {@code out} when it was made with exactly these settings ({@code out/pretrain.json}),
   * else pre-trains it there.
   */
  public static Result ensure(Settings s, Path out, Consumer<StepReport> onStep) {
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
  public static Result run(Settings s, Path out, Consumer<StepReport> onStep, boolean progressBar) {
    LlamaConfig config = io.thinklab.run.ModelProfiles.resolve(s.profile());
    String eos = TokenizerConfig.eosOf(s.tokenizer());
    if (eos == null) {
      throw new IllegalArgumentException(s.tokenizer() + "/tokenizer_config.json: no eos_token");
    }
    // ---------------------------------------------------------------- data: lines → token ids, all trained
    List<Sequence> seqs = new ArrayList<>();
    long tokens = 0;
    try (HuggingFaceTokenizer tok = Tokenizer.huggingFace(s.tokenizer())) {
      for (Source src : s.sources()) {
        List<Triplet> rows = Dataset.load(src.file()).lenient().minThinkingChars(0).read().triplets();
        int from = Math.min(src.skip(), rows.size());
        List<Triplet> take = rows.subList(from, Math.min(rows.size(), from + src.worked()));
        for (int i = 0; i < take.size(); i++) {
          List<String> both = texts(take.get(i), eos);
          List<String> lines = new ArrayList<>(List.of(src.endings() ? both.get(0) : unfinished(take.get(i))));
          if (i < src.chats()) {
            lines.add(both.get(1));
          }
          for (String line : lines) {
            long[] ids = tok.encode(line, true, false).getIds();
            if (ids.length > s.maxLength()) {
              ids = java.util.Arrays.copyOf(ids, s.maxLength());
            }
            for (long id : ids) {
              if (id >= config.vocabSize()) {
                throw new IllegalArgumentException(s.tokenizer() + " gives id " + id + " but " + s.profile()
                    + " has " + config.vocabSize() + " embedding rows");
              }
            }
            seqs.add(new Sequence(take.get(i).id(), ids, ids)); // every token is a label: language modelling
            tokens += ids.length;
          }
        }
      }
    }
    if (seqs.isEmpty()) {
      throw new IllegalArgumentException("pre-training: no rows in " + s.sources());
    }
    // ---------------------------------------------------------------- model from random weights, full training
    try {
      RunDirs.clearEarlier(out, "pre-training", "pretrain.json", "training"); // pre-training replaces it
      Files.createDirectories(out);
      Path training = out.resolve("training");
      List<StepReport> steps;
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
              "data", s.sources().stream().map(d -> d.file().getFileName() + " skip " + d.skip() + " worked "
                  + d.worked() + " chats " + d.chats() + (d.endings() ? "" : " without endings")).toList(),
              "max_length", s.maxLength(), "train", s.train())))
          + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
