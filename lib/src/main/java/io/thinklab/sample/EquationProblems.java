package io.thinklab.sample;

import static io.thinklab.sample.Calc.Op.ADD;
import static io.thinklab.sample.Calc.Op.DIV;
import static io.thinklab.sample.Calc.Op.MUL;
import static io.thinklab.sample.Calc.Op.SUB;
import static io.thinklab.sample.Num.between;
import static io.thinklab.sample.Num.bd;
import static io.thinklab.sample.Num.pick;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Linear equations in one unknown with a whole-number solution: {@code a·x + b = c}, the same as a "think of a
 * number" puzzle, and {@code a·x + b = d·x + e}. The solution is drawn first and the equation built around it.
 */
final class EquationProblems {
  private EquationProblems() {}

  static Problem next(SplittableRandom rnd, boolean mini) {
    return switch (rnd.nextInt(mini ? 2 : 3)) {
      case 0 -> oneSide(rnd, mini);
      case 1 -> puzzle(rnd, mini);
      default -> twoSides(rnd);
    };
  }

  /** {@code a x + b} as the problem writes it: {@code 3x + 7}, {@code 3x - 7}. */
  static String side(int a, int b) {
    return a + "x" + (b < 0 ? " - " + (-b) : " + " + b);
  }

  static Problem oneSide(SplittableRandom rnd, boolean mini) {
    int a = mini ? between(rnd, 2, 9) : between(rnd, 2, 12);
    int x = mini ? between(rnd, 1, 12) : between(rnd, -10, 20);
    int b = mini ? between(rnd, 1, 20) : between(rnd, 1, 40) * (rnd.nextBoolean() ? 1 : -1);
    int c = a * x + b;
    String text = mini ? "Solve %s = %s.".formatted(side(a, b), c)
        : pick(rnd, "Solve for x: %s = %s.", "Find the value of x that satisfies %s = %s.").formatted(side(a, b), c);
    return solve("linear-equation", "one-side", text, a, b, c, mini);
  }

  static Problem puzzle(SplittableRandom rnd, boolean mini) {
    int a = mini ? between(rnd, 2, 9) : between(rnd, 2, 12);
    int x = mini ? between(rnd, 1, 12) : between(rnd, 2, 30);
    int b = mini ? between(rnd, 1, 20) : between(rnd, 1, 50);
    int c = a * x + b;
    String text = mini ? "A number times %s plus %s is %s. What is the number?".formatted(a, b, c)
        : pick(rnd,
            "I think of a number, multiply it by %s and then add %s. The result is %s. What number did I think of?",
            "%4$s multiplies a secret number by %1$s and adds %2$s, getting %3$s. What is the secret number?")
            .formatted(a, b, c, pick(rnd, ArithmeticProblems.NAMES));
    return solve("linear-equation", "puzzle", text, a, b, c, mini);
  }

  private static Problem solve(String kind, String variant, String text, int a, int b, int c, boolean mini) {
    Calc c1 = Calc.of(mini ? a + "x" : "the value of " + a + "x", c, SUB, b);
    Calc c2 = Calc.of(mini ? "x" : "the value of x", c1.result(), DIV, bd(a));
    Calc k1 = Calc.of(mini ? a + "x" : a + " times the solution", bd(a), MUL, c2.result());
    Calc k2 = Calc.of(mini ? "left side" : "the left-hand side", k1.result(), ADD, bd(b));
    return new Problem(kind, variant, text, Num.params("a", a, "b", b, "c", c),
        List.of("the equation " + side(a, b) + " = " + c), mini ? "x" : "the value of x", "", List.of(c1, c2), List.of(k1, k2));
  }

  static Problem twoSides(SplittableRandom rnd) {
    int x = between(rnd, -8, 15);
    int a = between(rnd, 3, 12);
    int d = between(rnd, 2, a - 1);
    int b = between(rnd, 1, 30) * (rnd.nextBoolean() ? 1 : -1);
    int e = (a - d) * x + b;
    String text = pick(rnd, "Solve for x: %s = %s.", "Find x if %s = %s.").formatted(side(a, b), side(d, e));
    Calc c1 = Calc.of("the coefficient of x after collecting terms", a, SUB, d);
    Calc c2 = Calc.of("the constant after collecting terms", e, SUB, b);
    Calc c3 = Calc.of("the value of x", c2.result(), DIV, c1.result());
    Calc k1 = Calc.of(a + " times the solution", bd(a), MUL, c3.result());
    Calc k2 = Calc.of("the left-hand side", k1.result(), ADD, bd(b));
    Calc k3 = Calc.of(d + " times the solution", bd(d), MUL, c3.result());
    Calc k4 = Calc.of("the right-hand side", k3.result(), ADD, bd(e));
    return new Problem("linear-equation", "two-sides", text, Num.params("a", a, "b", b, "d", d, "e", e),
        List.of("the equation " + side(a, b) + " = " + side(d, e)), "the value of x", "", List.of(c1, c2, c3), List.of(k1, k2, k3, k4));
  }
}
