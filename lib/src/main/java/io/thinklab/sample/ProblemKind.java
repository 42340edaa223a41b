package io.thinklab.sample;

import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * The families of verifiable problems the sample generator writes. Each family draws its numbers so that the
 * answer is exact (a whole number, or a terminating decimal for some unit conversions).
 */
public enum ProblemKind {
  ARITHMETIC("arithmetic", ArithmeticProblems::next),
  PERCENTAGE("percentage", PercentProblems::next),
  LINEAR_EQUATION("linear-equation", EquationProblems::next),
  UNIT_CONVERSION("unit-conversion", ConversionProblems::next),
  COUNTING("counting", CountingProblems::next);

  private final String label;
  private final BiFunction<SplittableRandom, Boolean, Problem> draw;

  ProblemKind(String label, BiFunction<SplittableRandom, Boolean, Problem> draw) {
    this.label = label;
    this.draw = draw;
  }

  /** The name written in a row's {@code kind} field. */
  public String label() {
    return label;
  }

  /** Draws one problem of this family; {@code mini} uses the small, regular templates of the mini scale. */
  public Problem draw(SplittableRandom rnd, boolean mini) {
    return draw.apply(rnd, mini);
  }

  /** Draws one problem of a uniformly chosen family. */
  public static Problem any(SplittableRandom rnd, boolean mini) {
    ProblemKind[] all = values();
    return all[rnd.nextInt(all.length)].draw(rnd, mini);
  }
}
