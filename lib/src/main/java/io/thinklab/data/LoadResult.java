package io.thinklab.data;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Dataset} load produced: the accepted triplets and every refused row with its reason.
 * Nothing is dropped silently: {@code rowsRead == accepted() + rejected()}.
 *
 * @param source   what was loaded (a path or {@code hf:owner/name})
 * @param triplets the accepted rows, in file order
 * @param rejects  the refused rows, in file order
 * @param rowsRead rows seen (non-blank lines of JSONL, rows of Parquet)
 * @param byReason reject counts for every {@link RejectReason}, zeros included
 * @param mapping  the field mapping used, e.g. {@code seed (problem/thinking/solution), detected}
 */
public record LoadResult(String source, List<Triplet> triplets, List<Reject> rejects, int rowsRead,
                         Map<RejectReason, Integer> byReason, String mapping) {

  public LoadResult {
    triplets = List.copyOf(triplets);
    rejects = List.copyOf(rejects);
    EnumMap<RejectReason, Integer> all = new EnumMap<>(RejectReason.class);
    for (RejectReason r : RejectReason.values()) {
      all.put(r, byReason.getOrDefault(r, 0));
    }
    byReason = Collections.unmodifiableMap(all);
  }

  public int accepted() {
    return triplets.size();
  }

  public int rejected() {
    return rejects.size();
  }

  /** Character-length statistics of the accepted triplets. */
  public TextLengths lengths() {
    return TextLengths.of(triplets);
  }

  /** One line, e.g. {@code data/x.jsonl: 5 rows, 2 accepted, 3 rejected (bad_json 1, missing_field 1, empty_field 1)}. */
  public String summary() {
    StringBuilder sb = new StringBuilder(source + ": " + rowsRead + " rows, " + accepted() + " accepted, "
        + rejected() + " rejected");
    String sep = " (";
    for (Map.Entry<RejectReason, Integer> e : byReason.entrySet()) {
      if (e.getValue() > 0) {
        sb.append(sep).append(e.getKey().label()).append(' ').append(e.getValue());
        sep = ", ";
      }
    }
    return sb.append(sep.equals(", ") ? ")" : "").append("; mapping ").append(mapping).toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}
