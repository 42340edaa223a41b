package io.thinklab.course;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.thinklab.curves.Metrics;
import io.thinklab.curves.RunHistory;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.eval.EvalResult;
import io.thinklab.eval.Evaluator;
import io.thinklab.generate.GenerationConfig;
import io.thinklab.generate.LoadedModel;
import io.thinklab.generate.Sampling;
import io.thinklab.lora.LoraConfig;
import io.thinklab.tokens.Tokenizer;
import io.thinklab.tokens.TokenizerConfig;
import io.thinklab.train.EvalLoss;
import io.thinklab.train.LoraRecipe;
import io.thinklab.train.RunDirs;
import io.thinklab.train.Sequence;
import io.thinklab.train.StepReport;
import io.thinklab.train.Tokenize;
import io.thinklab.train.TrainConfig;
import io.thinklab.train.Trainer;
import io.thinklab.train.TrainerListener;
import io.thinklab.train.TrainingDiverged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One short LoRA run on a base model folder, for the notebooks: rows → plain-format sequences (completion-only,
 * cut at {@code maxLength}) → {@link LoraRecipe} with an optional held-out eval loss → the run's
 * {@link RunHistory} as {@link Metrics} reads it back from {@code metrics.jsonl}. A run that diverges (the
 * trainer stops on a NaN loss or gradient) is returned with its message in {@link Result#stopped()}, and its
 * curve up to that step, instead of ending the cell.
 *
 * <pre>{@code
 * LoraRun.Result r = LoraRun.on(Pretrain.tinyBase()).rows(train, 1024).config(cfg).evalOn(held, 10)
 *     .run("healthy", path("build/runs/04/healthy"));
 * Readings.of(r.history());
 * }</pre>
 */
public final class LoraRun {
  /** The marker tokens whose embedding rows the default adapter trains. */
  public static final List<String> MARKERS = List.of("<think>", "</think>");

  private final Path base;
  private List<Triplet> rows = List.of();
  private int maxLength = 1024;
  private List<Triplet> heldOut = List.of();
  private int evalEvery = 0;
  private TrainConfig config = TrainConfig.defaults();
  private LoraConfig lora;
  private final List<TrainerListener> listeners = new ArrayList<>();

  private LoraRun(Path base) {
    this.base = base.toAbsolutePath();
  }

  /** A run on the base model folder {@code base} ({@code config.json}, weights, tokenizer). */
  public static LoraRun on(Path base) {
    return new LoraRun(base);
  }

  /** The training rows, cut at {@code maxLength} tokens (truncated, as the seed's trainer did). */
  public LoraRun rows(List<Triplet> rows, int maxLength) {
    this.rows = List.copyOf(rows);
    this.maxLength = maxLength;
    return this;
  }

  /** Held-out rows whose loss is measured every {@code every} steps ({@link Trainer#evalEvery}); never cut. */
  public LoraRun evalOn(List<Triplet> heldOut, int every) {
    this.heldOut = List.copyOf(heldOut);
    this.evalEvery = every;
    return this;
  }

  /** The loop's settings (default {@link TrainConfig#defaults()}). */
  public LoraRun config(TrainConfig c) {
    this.config = c;
    return this;
  }

  /**
   * The adapter (default: r 8, alpha 16, no dropout, q/k/v/o, and the {@code <think>}/{@code </think>} embedding
   * rows as trainable tokens, as the tiny run files). A config given here keeps its own trainable tokens (none if
   * it has none); its base path is replaced by this run's base.
   */
  public LoraRun lora(LoraConfig l) {
    this.lora = l;
    return this;
  }

  /** Follows the training run ({@link Trainer#addListener}): a live chart, a progress line. */
  public LoraRun addListener(TrainerListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Called after every step: shorthand for {@code addListener(TrainerListener.everyStep(action))}. */
  public LoraRun onStep(Consumer<StepReport> action) {
    return addListener(TrainerListener.everyStep(action));
  }

  /**
   * What a run did.
   *
   * @param name        the run's name (legends)
   * @param out         its folder: {@code metrics.jsonl}, {@code checkpoints/}, {@code adapter/} when it finished
   * @param history     the curve as read back from {@code metrics.jsonl}
   * @param rows        training rows
   * @param tokens      completion (trained) tokens in those rows after the cut, per epoch
   * @param cutRows     rows longer than {@code maxLength}, cut
   * @param stopped     the trainer's message when it stopped on a NaN, else null
   * @param seconds     wall time of the training call
   */
  public record Result(String name, Path out, RunHistory history, int rows, long tokens, int cutRows,
                       String stopped, double seconds) {

    /** Whether the run reached its last step and wrote its adapter. */
    public boolean finished() {
      return stopped == null;
    }
  }

  /**
   * Trains into {@code out}, first deleting an earlier run there (a folder holding {@code metrics.jsonl} or
   * {@code checkpoints/}; any other non-empty folder is refused).
   */
  public Result run(String name, Path out) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(name + ": no training rows (call rows(...))");
    }
    RunDirs.clearEarlierRun(out);
    List<Sequence> train;
    List<Sequence> held;
    List<Integer> markers;
    int cut = 0;
    long tokens = 0;
    try (HuggingFaceTokenizer tok = Tokenizer.huggingFace(base)) {
      TrainingFormat f = TrainingFormat.plain(TokenizerConfig.eosOf(base));
      List<Sequence> full = Tokenize.completionOnly(tok, f, rows, Integer.MAX_VALUE);
      train = Tokenize.completionOnly(tok, f, rows, maxLength);
      for (int i = 0; i < train.size(); i++) {
        cut += full.get(i).length() > maxLength ? 1 : 0;
        tokens += train.get(i).trainedTokens();
      }
      held = Tokenize.completionOnly(tok, f, heldOut, Integer.MAX_VALUE); // never cut
      markers = Tokenize.singleTokenIds(tok, MARKERS);
    }
    // The <think>/</think> embedding rows train too (PEFT's trainable_token_indices): the tiny base never saw
    // them, and LoRA on the projections alone cannot teach it to emit </think>. A caller's config keeps its own.
    LoraConfig lc = lora != null ? lora
        : new LoraConfig(8, 16, 0.0, List.of("q_proj", "k_proj", "v_proj", "o_proj"), false, base.toString(), markers);
    LoraRecipe recipe = LoraRecipe.on(base).sequences(train).lora(lc).config(config);
    listeners.forEach(recipe::addListener);
    if (evalEvery > 0) {
      recipe.evalEvery(evalEvery, held);
    }
    String stopped = null;
    long t0 = System.nanoTime();
    try {
      recipe.run(out);
    } catch (TrainingDiverged e) {
      stopped = e.getMessage(); // diverged: the metrics up to the last good step stay
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    RunHistory h = Files.exists(out.resolve("metrics.jsonl"))
        ? Metrics.read(out).named(name) : RunHistory.of(name, List.of());
    return new Result(name, out, h, rows.size(), tokens, cut, stopped, seconds);
  }

  /**
   * Evaluates a finished run (its adapter on its base) or a base model folder on held-out problems, as
   * {@code thinklab eval} does: greedy generation within {@code maxNewTokens}, graded, with the held-out loss.
   */
  public static EvalResult evaluate(String name, Path runOrModel, List<Triplet> problems, int maxNewTokens) {
    return evaluate(name, runOrModel, problems, maxNewTokens, Sampling.greedy());
  }

  /**
   * The same with {@code sampling} (e.g. {@code Sampling.of(1.0, 0, 1.0, seed)}): greedy decoding can loop on
   * traces whose closing line is never the single most likely one (glm-style "Hmm"/"Wait" lines), sampling at
   * temperature 1 follows the learned distribution. Seeded sampling gives the same result on a rerun.
   */
  public static EvalResult evaluate(String name, Path runOrModel, List<Triplet> problems, int maxNewTokens,
                                    Sampling sampling) {
    try (LoadedModel lm = LoadedModel.open(runOrModel, null)) {
      double loss = EvalLoss.of(lm.model(), lm.plainSequences(problems), 8);
      GenerationConfig g = new GenerationConfig(maxNewTokens, sampling, true, List.of(), Set.of(lm.eosId()));
      return Evaluator.of(lm.generator(g), TrainingFormat.plain(lm.eosToken())).batchSize(8)
          .run(name, problems, loss).result();
    }
  }
}
