package io.thinklab.diagnose;

import io.thinklab.data.LengthGroups;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * The token-length diagnosis of a whole corpus: per-example lengths, summaries, what each cutoff keeps, the
 * recommended cutoff and the effect of each over-long policy.
 *
 * <p>{@link #toJson()} holds exactly the seed's keys ({@code total_examples}, {@code full_summary},
 * {@code prompt_summary}, {@code completion_summary}, {@code per_cutoff}) with their meanings, plus ThinkLab's
 * additions under other keys ({@code thinking_summary}, {@code solution_summary}, {@code per_cutoff_extra},
 * {@code recommended_cutoff}, {@code min_cutoff_for_target}, {@code policies}, {@code tokenizer}, {@code markers}).
 *
 * @param source      what was diagnosed (file names, tokenizer), for reports
 * @param markerLines how the tokenizer encodes {@code <think>}, {@code </think>} and EOS
 * @param examples    one entry per example, in corpus order
 * @param cutoffs     the cutoffs to report, ascending
 * @param microBatch  the micro-batch size padding waste assumes
 */
public record Diagnosis(String source, List<String> markerLines, List<ExampleLengths> examples, List<Integer> cutoffs,
                        int microBatch) {

  /** The cutoffs the seed's report and ThinkLab use when none are given. */
  public static final List<Integer> DEFAULT_CUTOFFS = List.of(1024, 2048, 3072, 4096, 8192);

  /** The share of examples that must keep both markers for a cutoff to be recommended. */
  public static final double TARGET_SHARE = 0.99;

  /** Seed for the fixed shuffle that padding waste assumes. */
  static final long SHUFFLE_SEED = 42;

  public Diagnosis {
    markerLines = List.copyOf(markerLines);
    examples = List.copyOf(examples);
    cutoffs = cutoffs.stream().sorted().distinct().toList();
    if (microBatch < 1) {
      throw new IllegalArgumentException("micro-batch must be at least 1, was " + microBatch);
    }
  }

  /** A diagnosis of given lengths with the default cutoffs and micro-batch 1 (no padding). */
  public static Diagnosis of(List<ExampleLengths> examples, List<Integer> cutoffs) {
    return new Diagnosis("lengths", List.of(), examples, cutoffs, 1);
  }

  /** The same examples seen with other cutoffs. */
  public Diagnosis withCutoffs(List<Integer> newCutoffs) {
    return new Diagnosis(source, markerLines, examples, newCutoffs, microBatch);
  }

  /** The same examples with padding computed for another micro-batch size. */
  public Diagnosis withMicroBatch(int newMicroBatch) {
    return new Diagnosis(source, markerLines, examples, cutoffs, newMicroBatch);
  }

  public int total() {
    return examples.size();
  }

  /** One length per example, in corpus order. */
  public int[] column(ToIntFunction<ExampleLengths> f) {
    return examples.stream().mapToInt(f).toArray();
  }

  public LengthSummary fullSummary() {
    return LengthSummary.of(column(ExampleLengths::full));
  }

  public LengthSummary promptSummary() {
    return LengthSummary.of(column(ExampleLengths::prompt));
  }

  public LengthSummary completionSummary() {
    return LengthSummary.of(column(ExampleLengths::completion));
  }

  public LengthSummary thinkingSummary() {
    return LengthSummary.of(column(ExampleLengths::thinking));
  }

  public LengthSummary solutionSummary() {
    return LengthSummary.of(column(ExampleLengths::solution));
  }

  /** What {@code cutoff} keeps and costs. */
  public CutoffStats at(int cutoff) {
    int full = 0;
    int completion = 0;
    int endThink = 0;
    int eos = 0;
    int both = 0;
    long tokens = 0;
    for (ExampleLengths e : examples) {
      full += e.truncatedAt(cutoff) ? 1 : 0;
      completion += e.completion() > cutoff ? 1 : 0;
      endThink += e.keepsEndThink(cutoff) ? 1 : 0;
      eos += e.keepsEos(cutoff) ? 1 : 0;
      both += e.keepsBoth(cutoff) ? 1 : 0;
      tokens += Math.min(e.full(), cutoff);
    }
    return new CutoffStats(cutoff, total(), full, completion, endThink, eos, both, tokens,
        paddedSlots(cutoff, microBatch), microBatch);
  }

  /** One {@link CutoffStats} per reported cutoff, ascending. */
  public Map<Integer, CutoffStats> perCutoff() {
    Map<Integer, CutoffStats> m = new LinkedHashMap<>();
    for (int c : cutoffs) {
      m.put(c, at(c));
    }
    return m;
  }

  /**
   * The smallest reported cutoff at which at least {@link #TARGET_SHARE} of the examples keep both {@code </think>}
   * and EOS, or -1 when none does.
   */
  public int recommendedCutoff() {
    for (int c : cutoffs) {
      if (at(c).bothShare() >= TARGET_SHARE) {
        return c;
      }
    }
    return -1;
  }

  /**
   * The smallest cutoff of any value at which at least {@code share} of the examples keep both markers: the
   * {@code ceil(share * n)}-th smallest {@link ExampleLengths#neededCutoff()}; -1 when not reachable.
   */
  public int minCutoffFor(double share) {
    if (examples.isEmpty()) {
      return -1;
    }
    int[] needed = column(ExampleLengths::neededCutoff);
    Arrays.sort(needed);
    int k = (int) Math.ceil(share * needed.length - 1e-9);
    int v = needed[Math.max(0, k - 1)];
    return v == Integer.MAX_VALUE ? -1 : v;
  }

  /** Rows trained, removed and cut, and tokens per epoch, under {@code policy} at {@code cutoff}. */
  public PolicyEffect policy(Policy policy, int cutoff) {
    int trained = 0;
    int removed = 0;
    int noEndThink = 0;
    int noEos = 0;
    long tokens = 0;
    String first = null;
    for (ExampleLengths e : examples) {
      boolean over = e.truncatedAt(cutoff);
      if (over && first == null) {
        first = e.id();
      }
      if (over && policy != Policy.TRUNCATE) {
        removed++;
        continue;
      }
      trained++;
      tokens += Math.min(e.full(), cutoff);
      noEndThink += e.endThinkAt() >= 0 && !e.keepsEndThink(cutoff) ? 1 : 0;
      noEos += e.eosAt() >= 0 && !e.keepsEos(cutoff) ? 1 : 0;
    }
    if (policy == Policy.ERROR && removed > 0) {
      return new PolicyEffect(policy, cutoff, 0, removed, 0, 0, 0, first);
    }
    return new PolicyEffect(policy, cutoff, trained, removed, noEndThink, noEos, tokens, first);
  }

  /**
   * Positions computed per epoch when the rows are cut to {@code cutoff} and batched as the trainer batches them:
   * grouped by length ({@link LengthGroups}, as the trainer groups them, fixed seed 42), each micro-batch of
   * {@code batch} padded to its longest row.
   */
  public long paddedSlots(int cutoff, int batch) {
    long slots = 0;
    for (int max : batchMaxima(cutoff, batch, true)) {
      slots += max;
    }
    return slots;
  }

  /**
   * Positions computed per epoch if micro-batches were drawn at random (a fixed shuffle, seed 42) instead of
   * grouped by length: what padding would cost without the trainer's grouping, for comparison.
   */
  public long randomPaddedSlots(int cutoff, int batch) {
    long slots = 0;
    for (int max : batchMaxima(cutoff, batch, false)) {
      slots += max;
    }
    return slots;
  }

  /**
   * The sum over micro-batches of {@code batch * longest^2}, with the same length-grouped batches as
   * {@link #paddedSlots}: what full (unfused) attention costs scale with.
   */
  public double paddedSquares(int cutoff, int batch) {
    double sum = 0;
    for (int max : batchMaxima(cutoff, batch, true)) {
      sum += (double) max * max;
    }
    return sum;
  }

  /** For every row, the padded length of the micro-batch it sits in (so sums over it count positions). */
  private int[] batchMaxima(int cutoff, int batch, boolean grouped) {
    if (batch < 1) {
      throw new IllegalArgumentException("micro-batch must be at least 1, was " + batch);
    }
    int[] lengths = column(e -> Math.min(e.full(), cutoff));
    List<int[]> batches;
    if (grouped) {
      batches = LengthGroups.of(lengths, batch, new Random(SHUFFLE_SEED));
    } else {
      int[] order = new int[lengths.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      shuffle(order);
      batches = new java.util.ArrayList<>();
      for (int i = 0; i < order.length; i += batch) {
        batches.add(Arrays.copyOfRange(order, i, Math.min(order.length, i + batch)));
      }
    }
    int[] out = new int[lengths.length];
    int k = 0;
    for (int[] b : batches) {
      int max = 0;
      for (int i : b) {
        max = Math.max(max, lengths[i]);
      }
      for (int j = 0; j < b.length; j++) {
        out[k++] = max;
      }
    }
    return out;
  }

  /** Only the examples that fit in {@code cutoff} tokens: what the {@code drop} policy trains on. */
  public Diagnosis keepingOnly(int cutoff) {
    return new Diagnosis(source + ", rows over " + cutoff + " dropped", markerLines,
        examples.stream().filter(e -> !e.truncatedAt(cutoff)).toList(), cutoffs, microBatch);
  }

  private static void shuffle(int[] a) {
    Random r = new Random(SHUFFLE_SEED);
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** The seed's report object plus ThinkLab's additions; {@code withLengths} adds the per-row length lists. */
  public Map<String, Object> toJson(boolean withLengths) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("total_examples", total());
    m.put("full_summary", fullSummary().toMap());
    m.put("prompt_summary", promptSummary().toMap());
    m.put("completion_summary", completionSummary().toMap());
    if (withLengths) {
      m.put("full_lengths", column(ExampleLengths::full));
      m.put("completion_lengths", column(ExampleLengths::completion));
    }
    Map<String, Object> per = new LinkedHashMap<>();
    Map<String, Object> extra = new LinkedHashMap<>();
    Map<String, Object> policies = new LinkedHashMap<>();
    for (CutoffStats s : perCutoff().values()) {
      String key = Integer.toString(s.cutoff());
      per.put(key, s.seedMap());
      extra.put(key, s.extraMap());
      Map<String, Object> p = new LinkedHashMap<>();
      for (Policy policy : Policy.values()) {
        p.put(policy.key(), policy(policy, s.cutoff()).toMap());
      }
      policies.put(key, p);
    }
    m.put("per_cutoff", per);
    m.put("thinking_summary", thinkingSummary().toMap());
    m.put("solution_summary", solutionSummary().toMap());
    m.put("per_cutoff_extra", extra);
    m.put("recommended_cutoff", recommendedCutoff());
    m.put("min_cutoff_for_target", minCutoffFor(TARGET_SHARE));
    m.put("target_share_both_markers", TARGET_SHARE);
    m.put("policies", policies);
    m.put("source", source);
    m.put("markers", markerLines);
    return m;
  }

  /** {@link #toJson(boolean)} without the per-row lists. */
  public Map<String, Object> toJson() {
    return toJson(false);
  }

  /** A plain-text report in the layout of the seed's {@code token_length_report.txt}, plus the additions. */
  public String report() {
    StringBuilder b = new StringBuilder();
    b.append("source: ").append(source).append('\n');
    for (String line : markerLines) {
      b.append("  ").append(line).append('\n');
    }
    b.append("total examples: ").append(total()).append('\n');
    summaryLine(b, "full sequence", fullSummary());
    summaryLine(b, "prompt", promptSummary());
    summaryLine(b, "completion", completionSummary());
    summaryLine(b, "thinking", thinkingSummary());
    summaryLine(b, "solution", solutionSummary());
    b.append("cutoff tradeoffs:\n");
    for (CutoffStats s : perCutoff().values()) {
      b.append(String.format("- cutoff %d%n", s.cutoff()));
      b.append(String.format("  full truncated: %d (%.2f%%)%n", s.fullTruncated(), s.pct(s.fullTruncated())));
      b.append(String.format("  completion-only > cutoff: %d (%.2f%%)%n", s.completionTruncated(),
          s.pct(s.completionTruncated())));
      b.append(String.format("  </think> survives: %d (%.2f%%)%n", s.endThinkSurvives(), s.pct(s.endThinkSurvives())));
      b.append(String.format("  EOS survives: %d (%.2f%%)%n", s.eosSurvives(), s.pct(s.eosSurvives())));
      b.append(String.format("  both survive: %d (%.2f%%); %,d tokens/epoch; padding waste %.1f%% at micro-batch %d%n",
          s.bothSurvive(), s.pct(s.bothSurvive()), s.tokensPerEpoch(), 100 * s.paddingWaste(), microBatch));
      for (Policy p : Policy.values()) {
        b.append("  ").append(policy(p, s.cutoff()).describe()).append('\n');
      }
    }
    int rec = recommendedCutoff();
    b.append(rec > 0 ? "recommended cutoff: " + rec : "recommended cutoff: none of " + cutoffs
        + " keeps both markers in 99 % of examples").append('\n');
    b.append("smallest cutoff keeping both markers in 99 % of examples: ").append(minCutoffFor(TARGET_SHARE))
        .append('\n');
    return b.toString();
  }

  private static void summaryLine(StringBuilder b, String what, LengthSummary s) {
    b.append(String.format("%s: count %d, min %d, max %d, mean %.2f, p50 %d, p90 %d, p95 %d, p99 %d%n", what,
        s.count(), s.min(), s.max(), s.mean(), s.p50(), s.p90(), s.p95(), s.p99()));
  }

  /** The ids of examples that lose {@code </think>} at {@code cutoff} (for notebooks; first {@code limit}). */
  public List<String> cutBeforeEndThink(int cutoff, int limit) {
    List<String> out = new ArrayList<>();
    for (ExampleLengths e : examples) {
      if (!e.keepsEndThink(cutoff) && out.size() < limit) {
        out.add(e.id());
      }
    }
    return out;
  }
}
