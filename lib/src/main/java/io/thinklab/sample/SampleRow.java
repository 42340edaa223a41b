package io.thinklab.sample;

import io.thinklab.data.Triplet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One generated row: a problem, what a synthetic teacher wrote about it, and how it was made.
 *
 * @param id      unique within its file: {@code <prefix>-<index, 5 digits>}
 * @param problem the verifiable problem
 * @param written the synthetic reasoning and solution
 * @param style   the teacher style
 * @param scale   the length scale
 */
public record SampleRow(String id, Problem problem, Written written, Style style, Scale scale) {

  /**
   * The row as the lab's {@link Triplet}; metadata holds {@code answer} (a {@link java.math.BigDecimal}),
   * {@code kind}, {@code variant}, {@code style}, {@code scale}, {@code params} and {@code synthetic = true}.
   */
  public Triplet toTriplet() {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("answer", problem.answer());
    meta.put("kind", problem.kind());
    meta.put("variant", problem.variant());
    meta.put("style", style.label());
    meta.put("scale", scale.label());
    meta.put("params", problem.params());
    meta.put("synthetic", true);
    return new Triplet(id, problem.text(), written.thinking(), written.solution(), "thinklab-sample:" + id, meta);
  }

  /** Estimated tokens of the full plain-format sequence, see {@link TokenEstimate}. */
  public int estimatedTokens() {
    return TokenEstimate.fullSequence(toTriplet());
  }
}
