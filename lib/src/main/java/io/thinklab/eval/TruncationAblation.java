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
import io.thinklab.train.TrainData;
import io.thinklab.train.TrainConfig;
import io.thinklab.train.Trainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The seed's mistake and its fix as a controlled experiment: two LoRA adapters on the same base, data,
 * seed and settings, differing only in the cutoff policy. <b>truncated</b> cuts every sequence at a cutoff that
 * loses {@code </think>} in about 79 % of the rows (as the seed's 2,048 did); <b>fixed</b> applies one of the
 * preflight's fixes: drop the over-long rows at the same cutoff (the built-in {@code tiny-glm-cpu-dropped}, the
 * default: cheap, short rows only) or raise the cutoff ({@code tiny-glm-cpu-fixed}, 2048). Without run files the
 * cutoff is computed from {@code cutShare} and the fix is the longest row. Both are then evaluated
 * ({@link Evaluator}, {@link EvalLoss}). Expected: truncated rarely closes {@code </think>} or finishes; fixed does.
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
   * @param fixedDrops     the fixed arm drops over-long rows at its cutoff (the preflight's second fix) instead of
   *                       training every row at a cutoff they all fit: it takes the first {@code trainRows} rows
   *                       that fit, so both arms train on as many rows
   * @param sampling     how the evaluation decodes. Why sampling by default, not greedy: glm-style traces repeat
   *                     checks in a random order and end at a random line, so the closing line is never the
   *                     single most likely one — greedy decoding loops on "Hmm"/"Wait" lines even when the model
   *                     gives {@code </think>} 40 % after "So the answer is N." (measured). Sampling at
   *                     temperature 1 draws the length the model learned; the seed makes it repeatable.
   */
  public record Settings(Path base, Path trainData, Path evalData, int trainRows, int evalRows, double cutShare,
                         int[] cutoffs, int maxNewTokens, TrainConfig train, LoraConfig lora, Path out,
                         boolean fixedDrops, Sampling sampling) {

    /**
     * The settings of two run files that differ only in their cutoff policy ({@code max_length} and
     * {@code over_long}; the built-in {@code tiny-glm-cpu-truncated} against {@code tiny-glm-cpu-dropped} or
     * {@code tiny-glm-cpu-fixed}): their cutoffs, LoRA and training settings.
     */
    public static Settings fromRunFiles(RunFile truncated, RunFile fixed, Path base, Path trainData, Path evalData,
                                        int trainRows, int evalRows, int maxNewTokens, long seed, Path out) {
      if (!truncated.lora().equals(fixed.lora()) || !truncated.train().equals(fixed.train())) {
        throw new IllegalArgumentException(truncated.name() + " and " + fixed.name()
            + " must differ only in max_length and over_long (their lora or train settings differ)");
      }
      if (!truncated.overLong().equals("truncate") || fixed.overLong().equals("error")) {
        throw new IllegalArgumentException(truncated.name() + " must truncate and " + fixed.name()
            + " truncate or drop (over_long " + truncated.overLong() + ", " + fixed.overLong() + ")");
      }
      RunFile.Lora l = truncated.lora();
      RunFile.Train t = truncated.train();
      List<Integer> tokens = List.of();
      if (!l.trainableTokens().isEmpty()) {
        try (HuggingFaceTokenizer tok = Tokenize.load(base)) {
          tokens = Tokenize.singleTokenIds(tok, l.trainableTokens());
        }
      }
      LoraConfig lc = TrainData.loraConfig(truncated, base, tokens);
      TrainConfig tc = new TrainConfig(t.microBatch(), t.gradAccum(), t.epochs(), 0, t.lr(), t.schedule(),
          t.warmupRatio(), 0.0, 1.0, "fp32", seed, 0, 1, false);
      return new Settings(base, trainData, evalData, trainRows, evalRows, Double.NaN,
          new int[] {truncated.maxLength(), fixed.maxLength()}, maxNewTokens, tc, lc, out,
          fixed.overLong().equals("drop"), Sampling.of(1.0, 0, 1.0, seed));
    }

    /** The same with at most {@code steps} optimizer steps per arm (0 = all epochs). */
    public Settings withMaxSteps(int steps) {
      return new Settings(base, trainData, evalData, trainRows, evalRows, cutShare, cutoffs, maxNewTokens,
          train.withMaxSteps(steps), lora, out, fixedDrops, sampling);
    }

    /** The same, decoding with {@code s} (e.g. {@link Sampling#greedy()}). */
    public Settings withSampling(Sampling s) {
      return new Settings(base, trainData, evalData, trainRows, evalRows, cutShare, cutoffs, maxNewTokens, train,
          lora, out, fixedDrops, s);
    }
  }

  /**
   * One arm.
   *
   * @param cutoff        the max length trained with
   * @param policy        {@code truncate} or {@code drop}
   * @param cutBeforeClose rows whose {@code </think>} lay beyond the cutoff (lost to training)
   * @param droppedRows   rows passed over because they did not fit (the drop policy), counted, never silent
   * @param finalLoss     the last step's training loss
   */
  public record Arm(String name, int cutoff, String policy, int rows, int cutBeforeClose, int droppedRows,
                    double finalLoss, EvalResult eval, List<EvalSample> samples) {

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>(eval.toMap());
      m.put("cutoff", cutoff);
      m.put("over_long", policy);
      m.put("train_rows", rows);
      m.put("dropped_rows", droppedRows);
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

  /** Trains and evaluates both arms, silently. */
  public static Outcome run(Settings s) {
    return run(s, line -> {});
  }

  /**
   * Trains and evaluates both arms, reporting progress (a line every 10 optimizer steps, and each phase) to
   * {@code progress}: {@code System.out::println} in a notebook, where printed lines appear while the cell runs.
   */
  public static Outcome run(Settings s, Consumer<String> progress) {
    List<Triplet> all = Dataset.load(s.trainData()).lenient().minThinkingChars(0).read().triplets();
    List<Triplet> train = all.subList(0, Math.min(s.trainRows(), all.size()));
    List<Triplet> held = Dataset.load(s.evalData()).lenient().minThinkingChars(0).read().triplets();
    held = held.subList(0, Math.min(s.evalRows(), held.size()));
    int cutoff;
    int fixedCutoff;
    List<Triplet> fixedRows = train;
    int dropped = 0;
    try (LoadedModel lm = LoadedModel.open(s.base(), null)) {
      TrainingFormat f = TrainingFormat.plain(lm.eosToken());
      List<FormattedExample> ex = train.stream().map(f::format).toList();
      cutoff = s.cutoffs() != null ? s.cutoffs()[0] : cutoffCutting(closeEnds(lm.tokenizer(), ex), s.cutShare());
      fixedCutoff = s.cutoffs() != null ? s.cutoffs()[1] : ex.stream()
          .mapToInt(e -> lm.tokenizer().encode(e.text(), true, false).getIds().length).max().orElseThrow();
      if (s.fixedDrops()) { // the first trainRows rows that fit whole; the others are counted as dropped
        fixedRows = new java.util.ArrayList<>();
        for (Triplet t : all) {
          if (fixedRows.size() == s.trainRows()) {
            break;
          }
          if (lm.tokenizer().encode(f.format(t).text(), true, false).getIds().length <= fixedCutoff) {
            fixedRows.add(t);
          } else {
            dropped++;
          }
        }
      }
    }
    return new Outcome(arm("truncated", cutoff, "truncate", train, 0, held, s, progress),
        arm("fixed", fixedCutoff, s.fixedDrops() ? "drop" : "truncate", fixedRows, dropped, held, s, progress));
  }

  private static Arm arm(String name, int cutoff, String policy, List<Triplet> train, int dropped,
                         List<Triplet> held, Settings s, Consumer<String> progress) {
    try (LoadedModel lm = LoadedModel.open(s.base(), null);
         LoraAdapter adapter = LoraAdapter.init(lm.model().config(), s.lora(), Device.cpu(), s.train().seed())) {
      TrainingFormat f = TrainingFormat.plain(lm.eosToken());
      List<Sequence> data = train.stream().map(t -> Tokenize.completionOnly(lm.tokenizer(), f.format(t), cutoff,
          Tokenize.OverLong.TRUNCATE, true).orElseThrow()).toList();
      long t0 = System.nanoTime();
      Trainer trainer = Trainer.lora(lm.model(), adapter, data, s.train(), s.out().resolve(name)).quiet();
      int total = trainer.stopStep();
      progress.accept(String.format("%s: training %d rows at max_length %d (%s%s), %d steps", name, data.size(),
          cutoff, policy, dropped > 0 ? ", " + dropped + " over-long rows dropped" : "", total));
      List<Trainer.Step> steps = trainer.onStep(st -> {
        if (st.step() % 10 == 0 || st.step() == total) {
          progress.accept(String.format("%s: step %d/%d loss %.3f (%.0f s)", name, st.step(), total, st.loss(),
              (System.nanoTime() - t0) / 1e9));
        }
      }).run(false);
      List<Sequence> heldSeqs = lm.plainSequences(held);
      progress.accept(String.format("%s: evaluating %d held-out problems (up to %d new tokens each)", name,
          held.size(), s.maxNewTokens()));
      double loss = EvalLoss.of(lm.model(), heldSeqs, 8);
      GenerationConfig g = new GenerationConfig(s.maxNewTokens(), s.sampling(), true, List.of(),
          Set.of(lm.eosId()));
      Evaluator.Evaluation e = Evaluator.of(lm.generator(g), f).batchSize(8).run(name, held, loss);
      int cut = (int) Arrays.stream(closeEnds(lm.tokenizer(), train.stream().map(f::format).toList()))
          .filter(x -> x > cutoff).count();
      progress.accept(String.format("%s: close rate %.2f, finish rate %.2f (%.0f s in all)", name,
          e.result().closeRate(), e.result().finishRate(), (System.nanoTime() - t0) / 1e9));
      return new Arm(name, cutoff, policy, train.size(), cut, dropped, steps.get(steps.size() - 1).loss(), e.result(),
          e.samples());
    }
  }
}
