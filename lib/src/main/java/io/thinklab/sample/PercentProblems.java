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
 * Percentage problems whose answers are whole numbers: a discount, a percent of a number, what percent one
 * number is of another, a percentage increase. Bases are multiples of 20 and rates multiples of 5, so every
 * division by 100 is exact.
 */
final class PercentProblems {
  private PercentProblems() {}

  static Problem next(SplittableRandom rnd, boolean mini) {
    return switch (rnd.nextInt(mini ? 2 : 4)) {
      case 0 -> discount(rnd, mini);
      case 1 -> percentOf(rnd, mini);
      case 2 -> whatPercent(rnd);
      default -> increase(rnd);
    };
  }

  static Problem discount(SplittableRandom rnd, boolean mini) {
    int price = 20 * between(rnd, 1, mini ? 15 : 20);
    int rate = 5 * between(rnd, 1, 10);
    String item = pick(rnd, "jacket", "bicycle", "lamp", "backpack", "pair of boots");
    String text = mini
        ? "A bag costs %s. It is %s%% off. What is the new price?".formatted(price, rate)
        : pick(rnd,
            "A %1$s is priced at $%2$s. During a sale it is %3$s%% off. What is the sale price in dollars?",
            "A shop takes %3$s%% off every %1$s this week. If a %1$s normally costs $%2$s, how many dollars does it cost now?")
            .formatted(item, price, rate);
    Calc c1 = Calc.of(mini ? "price times rate" : "the price times the rate", price, MUL, rate);
    Calc c2 = Calc.of(mini ? "discount" : "the discount in dollars", c1.result(), DIV, bd(100));
    Calc c3 = Calc.of(mini ? "new price" : "the sale price", bd(price), SUB, c2.result());
    Calc k1 = Calc.of(mini ? "percent left" : "the percentage still paid", 100, SUB, rate);
    Calc k2 = Calc.of(mini ? "price times percent left" : "the price times the percentage still paid", bd(price), MUL, k1.result());
    Calc k3 = Calc.of(mini ? "new price" : "the sale price by the second route", k2.result(), DIV, bd(100));
    return new Problem("percentage", "discount", text, Num.params("price", price, "rate", rate),
        List.of("original price $" + price, rate + "% off"), mini ? "the new price" : "the sale price", mini ? "" : "dollars",
        List.of(c1, c2, c3), List.of(k1, k2, k3));
  }

  static Problem percentOf(SplittableRandom rnd, boolean mini) {
    int whole = 20 * between(rnd, 1, mini ? 10 : 40);
    int rate = 5 * between(rnd, 1, 19);
    String text = mini
        ? "What is %s%% of %s?".formatted(rate, whole)
        : pick(rnd,
            "What is %1$s%% of %2$s?",
            "A school has %2$s students and %1$s%% of them walk to school. How many students walk to school?",
            "A farmer harvests %2$s kg of potatoes and sells %1$s%% of the harvest. How many kilograms does the farmer sell?")
            .formatted(rate, whole);
    Calc c1 = Calc.of(mini ? "times rate" : "the whole times the rate", whole, MUL, rate);
    Calc c2 = Calc.of(mini ? "part" : "the part", c1.result(), DIV, bd(100));
    Calc k1 = Calc.of(mini ? "part times 100" : "the part times 100", c2.result(), MUL, bd(100));
    Calc k2 = Calc.of(mini ? "rate" : "the rate recovered", k1.result(), DIV, bd(whole));
    String unit = text.contains("kg") ? "kg" : text.contains("students") ? "students" : "";
    return new Problem("percentage", "percent-of", text, Num.params("whole", whole, "rate", rate),
        List.of("the whole is " + whole, "the rate is " + rate + "%"), rate + "% of " + whole, unit,
        List.of(c1, c2), List.of(k1, k2));
  }

  static Problem whatPercent(SplittableRandom rnd) {
    int total = 20 * between(rnd, 2, 20);
    int rate = 5 * between(rnd, 1, 19);
    int part = total / 20 * (rate / 5);
    String name = pick(rnd, ArithmeticProblems.NAMES);
    String text = pick(rnd,
        "%1$s answered %2$s of %3$s quiz questions correctly. What percentage of the questions did %1$s get right?",
        "Out of %3$s seeds that %1$s planted, %2$s sprouted. What percent of the seeds sprouted?")
        .formatted(name, part, total);
    Calc c1 = Calc.of("the fraction", bd(part), DIV, bd(total));
    Calc c2 = Calc.of("the percentage", c1.result(), MUL, bd(100));
    Calc k1 = Calc.of("the total times the percentage", total, MUL, rate);
    Calc k2 = Calc.of("the part recovered", k1.result(), DIV, bd(100));
    return new Problem("percentage", "what-percent", text, Num.params("part", part, "total", total),
        List.of(part + " out of " + total), "the percentage", "percent", List.of(c1, c2), List.of(k1, k2));
  }

  static Problem increase(SplittableRandom rnd) {
    int before = 20 * between(rnd, 10, 150);
    int rate = 5 * between(rnd, 1, 10);
    String text = pick(rnd,
        "A town had %s residents. Over ten years the population grew by %s%%. How many residents does the town have now?",
        "A library owned %s books and increased its collection by %s%%. How many books does it own after the increase?")
        .formatted(before, rate);
    Calc c1 = Calc.of("the starting amount times the rate", before, MUL, rate);
    Calc c2 = Calc.of("the increase", c1.result(), DIV, bd(100));
    Calc c3 = Calc.of("the new amount", bd(before), ADD, c2.result());
    Calc k1 = Calc.of("the growth factor in percent", 100, ADD, rate);
    Calc k2 = Calc.of("the starting amount times the growth factor", bd(before), MUL, k1.result());
    Calc k3 = Calc.of("the new amount by the second route", k2.result(), DIV, bd(100));
    return new Problem("percentage", "increase", text, Num.params("before", before, "rate", rate),
        List.of("starting at " + before, "an increase of " + rate + "%"), "the new amount", "",
        List.of(c1, c2, c3), List.of(k1, k2, k3));
  }
}
