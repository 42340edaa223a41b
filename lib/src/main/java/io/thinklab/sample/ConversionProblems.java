package io.thinklab.sample;

import static io.thinklab.sample.Calc.Op.ADD;
import static io.thinklab.sample.Calc.Op.DIV;
import static io.thinklab.sample.Calc.Op.MUL;
import static io.thinklab.sample.Calc.Op.SUB;
import static io.thinklab.sample.Num.between;
import static io.thinklab.sample.Num.bd;
import static io.thinklab.sample.Num.pick;

import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Unit conversions with exact factors: large to small unit (multiply), small to large (divide), two chained
 * factors, and Celsius to Fahrenheit ({@code F = C × 9 ÷ 5 + 32}). Full scale allows halves and quarters.
 */
final class ConversionProblems {
  private ConversionProblems() {}

  /** A unit pair with its exact factor: one {@code big} is {@code factor} {@code small}. */
  record Pair(String big, String small, int factor) {}

  static final List<Pair> PAIRS = List.of(
      new Pair("kilometres", "metres", 1000), new Pair("metres", "centimetres", 100),
      new Pair("kilograms", "grams", 1000), new Pair("litres", "millilitres", 1000),
      new Pair("hours", "minutes", 60), new Pair("minutes", "seconds", 60), new Pair("days", "hours", 24),
      new Pair("feet", "inches", 12), new Pair("yards", "feet", 3), new Pair("pounds", "ounces", 16),
      new Pair("weeks", "days", 7));
  static final List<Pair> MINI_PAIRS = List.of(PAIRS.get(1), PAIRS.get(2), PAIRS.get(4), PAIRS.get(6), PAIRS.get(7));

  static Problem next(SplittableRandom rnd, boolean mini) {
    return switch (rnd.nextInt(mini ? 2 : 4)) {
      case 0 -> multiply(rnd, mini);
      case 1 -> divide(rnd, mini);
      case 2 -> twoStep(rnd);
      default -> temperature(rnd);
    };
  }

  /** A quantity: whole at mini scale; whole, half or quarter at full scale. */
  static BigDecimal amount(SplittableRandom rnd, boolean mini) {
    if (mini) {
      return bd(between(rnd, 2, 30));
    }
    int quarters = 4 * between(rnd, 1, 20) + pick(rnd, 0, 0, 2, 1, 3);
    return bd(quarters).divide(bd(4)).stripTrailingZeros();
  }

  static Problem multiply(SplittableRandom rnd, boolean mini) {
    Pair p = pick(rnd, mini ? MINI_PAIRS : PAIRS);
    BigDecimal v = amount(rnd, mini);
    String text = mini ? "How many %s are in %s %s?".formatted(p.small(), Num.fmt(v), p.big())
        : pick(rnd, "How many %1$s are there in %2$s %3$s?", "Convert %2$s %3$s to %1$s.",
            "A measurement reads %2$s %3$s. What is it in %1$s?").formatted(p.small(), Num.fmt(v), p.big());
    Calc c1 = Calc.of(mini ? p.small() : "the amount in " + p.small(), v, MUL, bd(p.factor()));
    Calc k1 = Calc.of(mini ? p.big() : "the amount back in " + p.big(), c1.result(), DIV, bd(p.factor()));
    return new Problem("unit-conversion", "multiply", text, Num.params("value", v, "factor", p.factor()),
        List.of(Num.fmt(v) + " " + p.big(), "1 " + singular(p.big()) + " = " + p.factor() + " " + p.small()),
        "the amount in " + p.small(), p.small(), List.of(c1), List.of(k1));
  }

  static Problem divide(SplittableRandom rnd, boolean mini) {
    Pair p = pick(rnd, mini ? MINI_PAIRS : PAIRS);
    BigDecimal answer = amount(rnd, mini);
    BigDecimal v = answer.multiply(bd(p.factor()));
    String text = mini ? "How many %s are %s %s?".formatted(p.big(), Num.fmt(v), p.small())
        : pick(rnd, "How many %1$s is %2$s %3$s?", "Convert %2$s %3$s to %1$s.",
            "A task takes %2$s %3$s. Express that in %1$s.").formatted(p.big(), Num.fmt(v), p.small());
    Calc c1 = Calc.of(mini ? p.big() : "the amount in " + p.big(), v, DIV, bd(p.factor()));
    Calc k1 = Calc.of(mini ? p.small() : "the amount back in " + p.small(), c1.result(), MUL, bd(p.factor()));
    return new Problem("unit-conversion", "divide", text, Num.params("value", v, "factor", p.factor()),
        List.of(Num.fmt(v) + " " + p.small(), "1 " + singular(p.big()) + " = " + p.factor() + " " + p.small()),
        "the amount in " + p.big(), p.big(), List.of(c1), List.of(k1));
  }

  static Problem twoStep(SplittableRandom rnd) {
    Pair[][] chains = {{PAIRS.get(4), PAIRS.get(5)}, {PAIRS.get(6), PAIRS.get(4)}, {PAIRS.get(0), PAIRS.get(1)},
        {PAIRS.get(10), PAIRS.get(6)}, {PAIRS.get(8), PAIRS.get(7)}};
    Pair[] ch = pick(rnd, chains);
    int v = between(rnd, 2, 9);
    String text = pick(rnd, "How many %1$s are there in %2$s %3$s?", "Convert %2$s %3$s into %1$s.")
        .formatted(ch[1].small(), v, ch[0].big());
    Calc c1 = Calc.of("the amount in " + ch[0].small(), v, MUL, ch[0].factor());
    Calc c2 = Calc.of("the amount in " + ch[1].small(), c1.result(), MUL, bd(ch[1].factor()));
    Calc k1 = Calc.of("the combined factor", ch[0].factor(), MUL, ch[1].factor());
    Calc k2 = Calc.of("the amount in " + ch[1].small() + " in one step", bd(v), MUL, k1.result());
    return new Problem("unit-conversion", "two-step", text, Num.params("value", v, "factor1", ch[0].factor(), "factor2", ch[1].factor()),
        List.of(v + " " + ch[0].big(), "1 " + singular(ch[0].big()) + " = " + ch[0].factor() + " " + ch[0].small(),
            "1 " + singular(ch[1].big()) + " = " + ch[1].factor() + " " + ch[1].small()),
        "the amount in " + ch[1].small(), ch[1].small(), List.of(c1, c2), List.of(k1, k2));
  }

  static Problem temperature(SplittableRandom rnd) {
    int c = 5 * between(rnd, -6, 20);
    String text = pick(rnd, "Convert %s °C to degrees Fahrenheit.",
        "A thermometer shows %s degrees Celsius. What is the temperature in degrees Fahrenheit?").formatted(c);
    Calc c1 = Calc.of("the Celsius value times 9", c, MUL, 9);
    Calc c2 = Calc.of("that product divided by 5", c1.result(), DIV, bd(5));
    Calc c3 = Calc.of("the Fahrenheit value", c2.result(), ADD, bd(32));
    Calc k1 = Calc.of("the Fahrenheit value minus 32", c3.result(), SUB, bd(32));
    Calc k2 = Calc.of("that difference times 5", k1.result(), MUL, bd(5));
    Calc k3 = Calc.of("the Celsius value recovered", k2.result(), DIV, bd(9));
    return new Problem("unit-conversion", "temperature", text, Num.params("celsius", c),
        List.of(c + " °C", "F = C × 9 ÷ 5 + 32"), "the temperature in degrees Fahrenheit", "°F",
        List.of(c1, c2, c3), List.of(k1, k2, k3));
  }

  static String singular(String unit) {
    return switch (unit) {
      case "feet" -> "foot";
      case "inches" -> "inch";
      default -> unit.substring(0, unit.length() - 1);
    };
  }
}
