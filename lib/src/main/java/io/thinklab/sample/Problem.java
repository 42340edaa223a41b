package io.thinklab.sample;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A verifiable problem before any teacher has written about it: the question text, the numbers it was built
 * from, the exact steps that solve it, independent check steps, and the exact answer.
 *
 * <p>{@code params} are the named inputs (e.g. {@code a, b, c} of {@code a·x + b = c}); tests recompute the
 * answer from them with their own formula. The answer always equals the last step's result.
 *
 * @param kind    the problem family ({@code arithmetic}, {@code percentage}, {@code linear-equation},
 *                {@code unit-conversion}, {@code counting})
 * @param variant the template within the family ({@code shopping}, {@code discount}, …)
 * @param text    the question as the user asks it
 * @param params  the named inputs, in a fixed order
 * @param facts   the given quantities as short phrases, for the teacher's restatement
 * @param asked   what is asked, as a noun phrase ("the change")
 * @param unit    the answer's unit as words ("dollars"), or empty
 * @param steps   the exact solution steps, in order
 * @param checks  steps that verify the answer by another route
 */
public record Problem(String kind, String variant, String text, Map<String, BigDecimal> params,
                      List<String> facts, String asked, String unit, List<Calc> steps, List<Calc> checks) {

  public Problem {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    facts = List.copyOf(facts);
    steps = List.copyOf(steps);
    checks = List.copyOf(checks);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a problem needs at least one step");
    }
  }

  /** The exact final answer: the last step's result. */
  public BigDecimal answer() {
    return steps.get(steps.size() - 1).result();
  }

  /** The answer with its unit, as a sentence would say it ("8 dollars"). */
  public String answerWithUnit() {
    return unit.isEmpty() ? Num.fmt(answer()) : Num.fmt(answer()) + " " + unit;
  }
}
