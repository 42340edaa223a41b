package io.thinklab.sample;

import static io.thinklab.sample.Calc.Op.ADD;
import static io.thinklab.sample.Calc.Op.DIV;
import static io.thinklab.sample.Calc.Op.MUL;
import static io.thinklab.sample.Calc.Op.SUB;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

/**
 * Second looks at one {@link Calc}, each a true statement about its numbers: undo it with the inverse
 * operation, estimate it from rounded operands, or split a multiplication into tens and ones. Both teachers
 * use these to write re-checks that are about the problem at hand.
 */
final class Rechecks {
  private Rechecks() {}

  /** The step undone: {@code result − b = a}, {@code result ÷ b = a}, …; empty when it would divide by zero. */
  static Optional<Calc> inverse(Calc c) {
    return switch (c.op()) {
      case ADD -> Optional.of(Calc.of(c.label(), c.result(), SUB, c.b()));
      case SUB -> Optional.of(Calc.of(c.label(), c.result(), ADD, c.b()));
      case MUL -> c.b().signum() != 0 ? Optional.of(Calc.of(c.label(), c.result(), DIV, c.b()))
          : Optional.empty();
      case DIV -> Optional.of(Calc.of(c.label(), c.result(), MUL, c.b()));
    };
  }

  /** The same step with its operands swapped, for an addition or multiplication; else empty. */
  static Optional<Calc> commute(Calc c) {
    return c.op() == ADD || c.op() == MUL ? Optional.of(Calc.of(c.label(), c.b(), c.op(), c.a())) : Optional.empty();
  }

  /**
   * The step with a tempting wrong operation (adding instead of multiplying, …), as a road not taken; empty when
   * the wrong operation would happen to give the same number or divide by zero.
   */
  static Optional<Calc> wrongOperation(Calc c) {
    Calc.Op alt = switch (c.op()) {
      case MUL -> ADD;
      case ADD -> SUB;
      case SUB -> ADD;
      case DIV -> MUL;
    };
    Calc w = Calc.of(c.label(), c.a(), alt, c.b());
    return w.result().compareTo(c.result()) == 0 ? Optional.empty() : Optional.of(w);
  }

  /**
   * A rounded estimate {@code [roundedA op roundedB = estimate]} of an addition or multiplication of positive
   * numbers, when the estimate is within a factor of two of the exact result; else empty.
   */
  static Optional<Calc> estimate(Calc c) {
    if ((c.op() != ADD && c.op() != MUL) || c.a().signum() <= 0 || c.b().signum() <= 0) {
      return Optional.empty();
    }
    BigDecimal ra = c.a().round(new MathContext(1, RoundingMode.HALF_UP));
    BigDecimal rb = c.b().round(new MathContext(1, RoundingMode.HALF_UP));
    if (ra.compareTo(c.a()) == 0 && rb.compareTo(c.b()) == 0) {
      return Optional.empty();
    }
    Calc e = Calc.of(c.label(), ra, c.op(), rb);
    BigDecimal ratio = e.result().divide(c.result(), MathContext.DECIMAL64);
    boolean close = ratio.compareTo(new BigDecimal("0.5")) >= 0 && ratio.compareTo(new BigDecimal("2")) <= 0;
    return close ? Optional.of(e) : Optional.empty();
  }

  /**
   * A multiplication by a whole number of at least 11 split as {@code a × tens + a × ones}: the three steps
   * {@code [a × tens, a × ones, sum]}; empty when that does not apply.
   */
  static Optional<List<Calc>> decompose(Calc c) {
    if (c.op() != MUL || c.b().scale() > 0 || c.b().compareTo(BigDecimal.valueOf(11)) < 0
        || c.b().remainder(BigDecimal.TEN).signum() == 0) {
      return Optional.empty();
    }
    BigDecimal ones = c.b().remainder(BigDecimal.TEN);
    BigDecimal tens = c.b().subtract(ones);
    Calc p1 = Calc.of(c.label(), c.a(), MUL, tens);
    Calc p2 = Calc.of(c.label(), c.a(), MUL, ones);
    Calc sum = Calc.of(c.label(), p1.result(), ADD, p2.result());
    return Optional.of(List.of(p1, p2, sum));
  }
}
