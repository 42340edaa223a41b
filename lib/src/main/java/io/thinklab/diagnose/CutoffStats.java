package io.thinklab.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one cutoff ({@code max_length}) does to a corpus: the seed's four counts, both-markers survival, and the
 * cost of training at that length.
 *
 * <p>Percentages are {@code 100 * count / total}, 2 decimals. {@code tokensPerEpoch} counts the real tokens a
 * truncating trainer feeds ({@code sum(min(full, cutoff))}); {@code paddedSlots} counts the positions computed
 * when rows are grouped into micro-batches by length as the trainer groups them ({@code io.thinklab.train.Batches},
 * fixed seed) and each batch is padded to its longest row;
 * {@code paddingWaste = 1 - tokensPerEpoch / paddedSlots}.
 *
 * @param cutoff              the maximum sequence length
 * @param total               examples
 * @param fullTruncated       examples with {@code full > cutoff}
 * @param completionTruncated examples whose completion alone is longer than the cutoff
 * @param endThinkSurvives    examples whose last {@code </think>} sits below the cutoff
 * @param eosSurvives         examples whose EOS sits below the cutoff
 * @param bothSurvive         examples keeping both
 * @param tokensPerEpoch      real tokens fed per epoch under truncation
 * @param paddedSlots         positions computed per epoch with dynamic padding per micro-batch
 * @param microBatch          the micro-batch size the padding figure assumes
 */
public record CutoffStats(int cutoff, int total, int fullTruncated, int completionTruncated, int endThinkSurvives,
                          int eosSurvives, int bothSurvive, long tokensPerEpoch, long paddedSlots, int microBatch) {

  /** Percentage of all examples, 2 decimals. */
  public double pct(int count) {
    return total == 0 ? 0 : LengthSummary.round2(100.0 * count / total);
  }

  /** Share of examples keeping both markers, 0..1. */
  public double bothShare() {
    return total == 0 ? 0 : (double) bothSurvive / total;
  }

  /** Share of padded positions that hold no token. */
  public double paddingWaste() {
    return paddedSlots == 0 ? 0 : 1.0 - (double) tokensPerEpoch / paddedSlots;
  }

  /** The seed's keys: the four counts, then the same names with {@code _pct}. */
  public Map<String, Object> seedMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("full_truncated", fullTruncated);
    m.put("completion_truncated", completionTruncated);
    m.put("end_think_survives", endThinkSurvives);
    m.put("eos_survives", eosSurvives);
    m.put("full_truncated_pct", pct(fullTruncated));
    m.put("completion_truncated_pct", pct(completionTruncated));
    m.put("end_think_survives_pct", pct(endThinkSurvives));
    m.put("eos_survives_pct", pct(eosSurvives));
    return m;
  }

  /** ThinkLab's additions for this cutoff. */
  public Map<String, Object> extraMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("both_survive", bothSurvive);
    m.put("both_survive_pct", pct(bothSurvive));
    m.put("tokens_per_epoch", tokensPerEpoch);
    m.put("padded_slots_per_epoch", paddedSlots);
    m.put("padding_waste_pct", LengthSummary.round2(100 * paddingWaste()));
    m.put("micro_batch", microBatch);
    return m;
  }
}
