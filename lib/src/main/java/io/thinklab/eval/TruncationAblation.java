package io.thinklab.eval;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.data.Dataset;
import io.thinklab.data.FormattedExample;
import io.thinklab.data.Segment;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.generate.GenerationConfig;
import io.thinklab.generate.LoadedModel;
import io.thinklab.generate.Sampling;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.lora.LoraConfig;
import io.thinklab.preflight.RunFile;
import io.thinklab.train.Sequence;
import io.thinklab.train.Tokenize;
import io.thinklab.train.TrainConfig;
import io.thinklab.train.Trainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seed's mistake and its fix as a controlled experiment: two LoRA adapters on the same base, data,
 * seed and settings, differing only in the cutoff. <b>truncated</b> cuts every sequence at a cutoff that
 * loses {@code </think>} in about 79 % of the rows (as the seed's 2,048 did); <b>fixed</b> uses the preflight's
 * fix. By default both come from the built-in run files {@code tiny-glm-cpu-truncated} (max_length 464) and
 * {@code tiny-glm-cpu-fixed} (2304); otherwise the cutoff is computed from {@code cutShare} and the fix is the
 * longest row. Both are then evaluated ({@link Evaluator}, {@link EvalLoss}).
 * Expected: truncated rarely closes {@code </think>} or finishes; fixed does.
 */
public final class TruncationAblation {
  private TruncationAblation() {}

  /**
   * What to run.
   *
   * @param base         the base model folder (config.json, safetensors, tokenizer.json)
   * @param trainData    training rows (the glm-style mini data)
   * @param evalData     held-out rows with {@code answer}
   * @param trainRows    rows trained on (the first ones)
   * @param evalRows     held-out problems evaluated
   * @param cutShare     share of training rows whose {@code </think>} the truncated cutoff must cut (used when
   *                     {@code cutoffs} is null)
   * @param cutoffs      the two max lengths {truncated, fixed} (from the run files), or null to compute them:
   *                     the cutoff that cuts {@code cutShare}, and the longest row
   * @param maxNewTokens the evaluation budget
   * @param train        training settings (equal for both arms)
   * @param lora         adapter settings (equal for both arms)
   * @param out          where the two runs go ({@code out/truncated}, {@code out/fixed})
   */
  public record Settings(Path base, Path trainData, Path evalData, int trainRows, int evalRows, double cutShare,
                         int[] cutoffs, int maxNewTokens, TrainConfig train, LoraConfig lora, Path out) {

    /**
     * The settings of two run files that differ only in {@code max_length} (the built-in
     * {@code tiny-glm-cpu-truncated} and {@code tiny-glm-cpu-fixed}): their cutoffs, LoRA and training settings.
     */
    public static Settings fromRunFiles(RunFile truncated, RunFile fixed, Path base, Path trainData, Path evalData,
                                        int trainRows, int evalRows, int maxNewTokens, long seed, Path out) {
      if (!truncated.lora().equals(fixed.lora()) || !truncated.train().equals(fixed.train())) {
        throw new IllegalArgumentException(truncated.name() + " and " + fixed.name()
            + " must differ only in max_length (their lora or train settings differ)");
      }
      RunFile.Lora l = truncated.lora();
      RunFile.Train t = truncated.train();
      LoraConfig lc = new LoraConfig(l.r(), l.alpha(), l.dropout(), l.targets(), l.rslora(), base.toString());
      TrainConfig tc = new TrainConfig(t.microBatch(), t.gradAccum(), t.epochs(), 0, t.lr(), t.schedule(),
          t.warmupRatio(), 0.0, 1.0, "fp32", seed, 0, 1, false);
      return new Settings(base, trainData, evalData, trainRows, evalRows, Double.NaN,
          new int[] {truncated.maxLength(), fixed.maxLength()}, maxNewTokens, tc, lc, out);
    }

    /** The same with at most {@code steps} optimizer steps per arm (0 = all epochs). */
    public Settings withMaxSteps(int steps) {
      return new Settings(base, trainData, evalData, trainRows, evalRows, cutShare, cutoffs, maxNewTokens,
          train.withMaxSteps(steps), lora, out);
    }
  }

  /**
   * One arm.
   *
   * @param cutoff        the max length trained with
   * @param cutBeforeClose rows whose {@code </think>} lay beyond the cutoff (lost to training)
   * @param finalLoss     the last step's training loss
   */
  public record Arm(String name, int cutoff, int rows, int cutBeforeClose, double finalLoss, EvalResult eval,
                    List<EvalSample> samples) {

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>(eval.toMap());
      m.put("cutoff", cutoff);
      m.put("train_rows", rows);
      m.put("cut_before_close_rate", Math.round(10_000.0 * cutBeforeClose / rows) / 10_000.0);
      m.put("final_train_loss", Math.round(finalLoss * 10_000) / 10_000.0);
      return m;
    }
  }

  /** Both arms. */
  public record Outcome(Arm truncated, Arm fixed) {
    /** {@code {"truncated": {…}, "fixed": {…}}}. */
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("truncated", truncated.toMap());
      m.put("fixed", fixed.toMap());
      try {
        return new ObjectMapper().writeValueAsString(m);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    public EvalResults results() {
      return EvalResults.of(truncated.eval(), fixed.eval());
    }
  }

  /**
   * The token position just past {@code </think>} in each formatted example: a sequence cut at a cutoff ≤ this
   * never shows the model its reasoning being closed.
   */
  public static int[] closeEnds(HuggingFaceTokenizer tok, List<FormattedExample> examples) {
    return examples.stream().mapToInt(ex -> tok.encode(ex.text().substring(0, ex.span(Segment.THINK_CLOSE).end()),
        true, false).getIds().length).toArray();
  }

  /** The largest cutoff that still cuts {@code </think>} off at least {@code share} of the rows. */
  public static int cutoffCutting(int[] closeEnds, double share) {
    int[] sorted = closeEnds.clone();
    Arrays.sort(sorted);
    int keep = (int) Math.floor((1 - share) * sorted.length); // rows allowed to keep their </think>
    return Math.max(2, sorted[Math.min(keep, sorted.length - 1)] - 1);
  }

  /** Trains and evaluates both arms. */
  public static Outcome run(Settings s) {
    List<Triplet> train = Dataset.load(s.trainData()).lenient().minThinkingChars(0).read().triplets();
    train = train.subList(0, Math.min(s.trainRows(), train.size()));
    List<Triplet> held = Dataset.load(s.evalData()).lenient().minThinkingChars(0).read().triplets();
    held = held.subList(0, Math.min(s.evalRows(), held.size()));
    int cutoff;
    int longest;
    int[] ends;
    try (LoadedModel lm = LoadedModel.open(s.base(), null)) {
      TrainingFormat f = TrainingFormat.plain(lm.eosToken());
      List<FormattedExample> ex = train.stream().map(f::format).toList();
      ends = closeEnds(lm.tokenizer(), ex);
      cutoff = s.cutoffs() != null ? s.cutoffs()[0] : cutoffCutting(ends, s.cutShare());
      longest = s.cutoffs() != null ? s.cutoffs()[1] : ex.stream().mapToInt(e -> lm.tokenizer().encode(e.text(), true, false).getIds().length).max()
          .orElseThrow();
    }
    return new Outcome(arm("truncated", cutoff, train, held, ends, s), arm("fixed", longest, train, held, ends, s));
  }

  private static Arm arm(String name, int cutoff, List<Triplet> train, List<Triplet> held, int[] ends, Settings s) {
    try (LoadedModel lm = LoadedModel.open(s.base(), null);
         LoraAdapter adapter = LoraAdapter.init(lm.model().config(), s.lora(), Device.cpu(), s.train().seed())) {
      TrainingFormat f = TrainingFormat.plain(lm.eosToken());
      List<Sequence> data = train.stream().map(t -> Tokenize.completionOnly(lm.tokenizer(), f.format(t), cutoff,
          Tokenize.OverLong.TRUNCATE, true).orElseThrow()).toList();
      List<Trainer.Step> steps = Trainer.lora(lm.model(), adapter, data, s.train(), s.out().resolve(name))
          .quiet().run(false);
      List<Sequence> heldSeqs = held.stream().map(t -> Tokenize.completionOnly(lm.tokenizer(), f.format(t),
          Integer.MAX_VALUE, Tokenize.OverLong.TRUNCATE, true).orElseThrow()).toList();
      double loss = EvalLoss.of(lm.model(), heldSeqs, 8);
      GenerationConfig g = new GenerationConfig(s.maxNewTokens(), Sampling.greedy(), true, List.of(),
          Set.of(lm.eosId()));
      Evaluator.Evaluation e = Evaluator.of(lm.generator(g), f).batchSize(8).run(name, held, loss);
      int cut = (int) Arrays.stream(ends).filter(x -> x > cutoff).count();
      return new Arm(name, cutoff, train.size(), cut, steps.get(steps.size() - 1).loss(), e.result(), e.samples());
    }
  }
}
