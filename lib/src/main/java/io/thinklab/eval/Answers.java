package io.thinklab.eval;

import io.thinklab.data.FinalAnswer;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Grades a generated answer against a reference, with the rule {@link FinalAnswer} documents (the same one
 * {@code thinklab compare} uses on teacher traces):
 * <ol>
 *   <li>split the generation at the first {@code </think>}: before is the thinking, after the solution
 *       (a generation that never closes has only thinking);</li>
 *   <li>extract: the last {@code \boxed{…}} in the solution, else the last "Final answer: X" / "Answer: X" /
 *       "The answer is X" line of the solution, else the last {@code \boxed{…}} in the thinking;</li>
 *   <li>match: numbers equal within 1e-6 relative (so {@code 0.50} matches {@code 0.5} and {@code 8.0}
 *       matches {@code 8}; when the answer text is not a number, its last number counts), other answers
 *       equal after normalisation.</li>
 * </ol>
 */
public final class Answers {
  private Answers() {}

  /** The extracted answer of a generation's solution and thinking, or empty. */
  public static Optional<String> extract(String solution, String thinking) {
    return FinalAnswer.extract(solution, thinking).map(FinalAnswer.Extracted::text);
  }

  /** Whether the generation's final answer matches {@code reference} (false when there is none). */
  public static boolean correct(String solution, String thinking, Object reference) {
    if (reference == null) {
      return false;
    }
    return extract(solution, thinking).map(a -> FinalAnswer.matches(a, text(reference))).orElse(false);
  }

  /** A reference value as text: numbers without a trailing {@code .0}. */
  static String text(Object reference) {
    if (reference instanceof Number n) {
      return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    }
    return reference.toString();
  }
}
