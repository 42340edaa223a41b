package io.thinklab.eval;

import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.generate.LoadedModel;
import io.thinklab.generate.Sampling;
import io.thinklab.lora.LoraConfig;
import io.thinklab.train.Sequence;
import io.thinklab.train.Tokenize;
import io.thinklab.train.TrainConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Does thinking pay off? Three models answer the same held-out problems: the <b>base</b> as pre-trained, an
 * adapter trained <b>answer_only</b> (the same rows with the thinking removed: {@code <think>\n\n</think>} then
 * the solution, as Qwen3's non-thinking mode writes it), and an adapter trained with the <b>thinking</b>. Both
 * adapters share the base, rows, steps, seed and settings; only the thinking differs. If the thinking adapter's
 * accuracy beats both by more than their 95 % intervals, writing the steps down is what made the difference.
 *
 * <p>Decoding is greedy: the opus-style mini traces are deterministic given the problem (one line per sentence,
 * then one check), so the single most likely continuation is the one to grade.
 */
public final class ThinkingAblation {
  private ThinkingAblation() {}

  /** Opus-style mini rows each adapter trains on by default (2 epochs of 8-row steps: 80 optimizer steps). */
  public static final int TRAIN_ROWS = 320;

  /** Held-out problems each model answers by default: a share known to about ± 7 points at 95 %. */
  public static final int EVAL_ROWS = 200;

  /** The default generation budget: the longest opus-style mini trace fits with room to spare. */
  public static final int MAX_NEW_TOKENS = 160;

  /**
   * What to run.
   *
   * @param base         the base model folder
   * @param trainData    training rows (the opus-style mini data: exact, short traces)
   * @param evalData     held-out rows with {@code answer}
   * @param trainRows    rows trained on (the first ones)
   * @param evalRows     held-out problems evaluated
   * @param maxNewTokens the evaluation budget
   * @param train        training settings (equal for both adapters)
   * @param lora         adapter settings (equal for both adapters)
   * @param out          where the two runs go ({@code out/answer_only}, {@code out/thinking})
   * @param sampling     how the evaluation decodes (greedy by default)
   */
  public record Settings(Path base, Path trainData, Path evalData, int trainRows, int evalRows, int maxNewTokens,
                         TrainConfig train, LoraConfig lora, Path out, Sampling sampling) {

    /**
     * The lab's defaults under {@code root}: 320 opus-style mini rows, 200 held-out problems, 160 new tokens,
     * greedy; r 8 on q/k/v/o plus the {@code <think>}/{@code </think>} rows, lr 5e-3 cosine, micro-batch 8,
     * 2 epochs (80 steps); {@code seed} for the adapters' initialisation and data order.
     */
    public static Settings defaults(Path root, Path base, long seed) {
      List<Integer> markers;
      try (LoadedModel lm = LoadedModel.open(base, null)) {
        markers = Tokenize.singleTokenIds(lm.tokenizer(), List.of("<think>", "</think>"));
      }
      LoraConfig lora = new LoraConfig(8, 16, 0.0, List.of("q_proj", "k_proj", "v_proj", "o_proj"), false,
          base.toString(), markers);
      TrainConfig train = TrainConfig.builder().batch(8, 1).epochs(2).lr(5e-3).seed(seed).checkpoints(0, 1).build();
      return new Settings(base, root.resolve("data/samples/opus-mini.jsonl"),
          root.resolve("data/samples/eval-mini.jsonl"), TRAIN_ROWS, EVAL_ROWS, MAX_NEW_TOKENS, train, lora,
          root.resolve("runs/ablation-thinking"), Sampling.greedy());
    }

    /** The same with {@code n} held-out problems. */
    public Settings withEvalRows(int n) {
      return new Settings(base, trainData, evalData, trainRows, n, maxNewTokens, train, lora, out, sampling);
    }

    /** The same writing the runs under {@code dir}. */
    public Settings withOut(Path dir) {
      return new Settings(base, trainData, evalData, trainRows, evalRows, maxNewTokens, train, lora, dir, sampling);
    }
  }

  /** One model's result. */
  public record Arm(String name, int trainRows, double finalLoss, EvalResult eval, List<EvalSample> samples) {

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("n", eval.problems());
      m.put("accuracy", round(eval.accuracy()));
      m.put("accuracy_ci", eval.accuracyCi().rounded());
      m.put("close_rate", round(eval.closeRate()));
      m.put("close_rate_ci", eval.closeRateCi().rounded());
      m.put("finish_rate", round(eval.finishRate()));
      m.put("mean_thinking_tokens", round(eval.meanThinkingTokens()));
      m.put("train_rows", trainRows);
      m.put("final_train_loss", Double.isNaN(finalLoss) ? null : round(finalLoss));
      return m;
    }
  }

  /** The three models. */
  public record Outcome(Arm base, Arm answerOnly, Arm thinking) {

    /** {@code {"base": {…}, "answer_only": {…}, "thinking": {…}}}. */
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("base", base.toMap());
      m.put("answer_only", answerOnly.toMap());
      m.put("thinking", thinking.toMap());
      return AblationArm.json(m);
    }

    /** Whether the thinking adapter's accuracy interval lies wholly above both others'. */
    public boolean thinkingWinsBeyondChance() {
      Interval t = thinking.eval().accuracyCi();
      return t.low() > base.eval().accuracyCi().high() && t.low() > answerOnly.eval().accuracyCi().high();
    }

    public EvalResults results() {
      return EvalResults.of(base.eval(), answerOnly.eval(), thinking.eval());
    }
  }

  /** A row with its thinking removed: what an answer-only adapter trains on. */
  public static Triplet answerOnly(Triplet t) {
    return new Triplet(t.id(), t.problem(), "", t.solution(), t.source(), t.metadata());
  }

  /** Runs the three arms, silently. */
  public static Outcome run(Settings s) {
    return run(s, line -> {});
  }

  /** Runs the three arms side by side ({@link AblationArm#sideBySide}), reporting progress to {@code progress}. */
  public static Outcome run(Settings s, Consumer<String> progress) {
    List<Triplet> train = AblationArm.firstRows(s.trainData(), s.trainRows());
    List<Triplet> held = AblationArm.firstRows(s.evalData(), s.evalRows());
    List<Sequence> thinking;
    List<Sequence> answers;
    try (LoadedModel lm = LoadedModel.open(s.base(), null)) {
      TrainingFormat f = TrainingFormat.plain(lm.eosToken());
      thinking = AblationArm.sequences(lm, f, train, Integer.MAX_VALUE);
      answers = AblationArm.sequences(lm, f, train.stream().map(ThinkingAblation::answerOnly).toList(),
          Integer.MAX_VALUE);
    }
    List<Arm> arms = AblationArm.sideBySide(() -> arm("thinking", thinking, held, s, progress),
        () -> arm("answer_only", answers, held, s, progress), () -> arm("base", List.of(), held, s, progress));
    return new Outcome(arms.get(2), arms.get(1), arms.get(0)); // side by side: AblationArm.sideBySide
  }

  private static Arm arm(String name, List<Sequence> data, List<Triplet> held, Settings s,
                         Consumer<String> progress) {
    AblationArm.Done d = AblationArm.run(name, s.base(), data, s.lora(), s.train(), s.out(), held,
        s.maxNewTokens(), s.sampling(), progress);
    return new Arm(name, data.size(), d.finalLoss(), d.evaluation().result(), d.evaluation().samples());
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
