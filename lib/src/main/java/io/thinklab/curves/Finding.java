package io.thinklab.curves;

import java.util.Map;

/**
 * One thing a curve says, in plain language, with the evidence: the numbers measured on the curve and the
 * thresholds they crossed.
 *
 * @param name       a stable id: {@code still-falling}, {@code flat-early}, {@code spiky}, {@code epoch-drop},
 *                   {@code grad-norm-spikes}, {@code eval-rising}, {@code too-short}
 * @param sentence   what it means, for a learner
 * @param numbers    what was measured (insertion-ordered)
 * @param thresholds the thresholds it was compared with (insertion-ordered)
 */
public record Finding(String name, String sentence, Map<String, Double> numbers, Map<String, Double> thresholds) {

  public Finding {
    numbers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(numbers));
    thresholds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(thresholds));
  }
}
