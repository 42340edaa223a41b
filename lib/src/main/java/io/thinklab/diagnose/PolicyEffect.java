package io.thinklab.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an over-long {@link Policy} does to a corpus at one cutoff.
 *
 * @param policy          the policy
 * @param cutoff          the maximum sequence length
 * @param rowsTrained     rows that reach the trainer (0 under {@code error} when a row is too long: the run stops)
 * @param rowsRemoved     rows filtered out ({@code drop}) or rows that raise ({@code error})
 * @param rowsCutBeforeEndThink trained rows whose {@code </think>} the cut removes
 * @param rowsCutBeforeEos      trained rows whose EOS the cut removes
 * @param tokensPerEpoch  real tokens trained per epoch
 * @param firstOffender   id of the first over-long row, or null
 */
public record PolicyEffect(Policy policy, int cutoff, int rowsTrained, int rowsRemoved, int rowsCutBeforeEndThink,
                           int rowsCutBeforeEos, long tokensPerEpoch, String firstOffender) {

  /** One sentence for reports. */
  public String describe() {
    return switch (policy) {
      case TRUNCATE -> String.format("truncate: %,d rows trained, %,d of them never show </think> and %,d never show"
          + " EOS; %,d tokens/epoch", rowsTrained, rowsCutBeforeEndThink, rowsCutBeforeEos, tokensPerEpoch);
      case DROP -> String.format("drop: %,d rows trained, %,d dropped; every trained row keeps both markers;"
          + " %,d tokens/epoch", rowsTrained, rowsRemoved, tokensPerEpoch);
      case ERROR -> rowsRemoved == 0 ? String.format("error: no row is longer than %d; %,d tokens/epoch", cutoff,
          tokensPerEpoch)
          : String.format("error: the run stops at row %s (%,d rows are longer than %d)", firstOffender, rowsRemoved,
          cutoff);
    };
  }

  /** JSON-ready map. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows_trained", rowsTrained);
    m.put("rows_removed", rowsRemoved);
    m.put("rows_cut_before_end_think", rowsCutBeforeEndThink);
    m.put("rows_cut_before_eos", rowsCutBeforeEos);
    m.put("tokens_per_epoch", tokensPerEpoch);
    m.put("first_offender", firstOffender);
    m.put("summary", describe());
    return m;
  }
}
