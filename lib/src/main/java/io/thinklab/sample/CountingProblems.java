package io.thinklab.sample;

import static io.thinklab.sample.Calc.Op.ADD;
import static io.thinklab.sample.Calc.Op.DIV;
import static io.thinklab.sample.Calc.Op.MUL;
import static io.thinklab.sample.Calc.Op.SUB;
import static io.thinklab.sample.Num.between;
import static io.thinklab.sample.Num.bd;
import static io.thinklab.sample.Num.pick;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Counting problems: outfits (product rule), handshakes ({@code n(n−1)/2}), committees ({@code C(n, k)}),
 * arrangements of distinct letters ({@code n!}) and podium finishes ({@code n(n−1)(n−2)}).
 */
final class CountingProblems {
  private CountingProblems() {}

  static final String[] WORDS = {"MATH", "JUMP", "CLOUD", "TIGER", "BLACK", "PLANET", "GARDEN", "NUMBER", "FRIEND", "WINTER"};

  static Problem next(SplittableRandom rnd, boolean mini) {
    return switch (rnd.nextInt(mini ? 2 : 5)) {
      case 0 -> outfits(rnd, mini);
      case 1 -> handshakes(rnd, mini);
      case 2 -> committee(rnd);
      case 3 -> arrangements(rnd);
      default -> podium(rnd);
    };
  }

  static Problem outfits(SplittableRandom rnd, boolean mini) {
    int s = between(rnd, 2, mini ? 9 : 8);
    int t = between(rnd, 2, mini ? 9 : 6);
    int h = mini ? 1 : between(rnd, 2, 5);
    if (mini) {
      String text = "Sam has %s shirts and %s hats. How many ways can he pick one shirt and one hat?".formatted(s, t);
      Calc c1 = Calc.of("ways", s, MUL, t);
      Calc k1 = Calc.of("ways", t, MUL, s);
      return new Problem("counting", "outfits", text, Num.params("shirts", s, "hats", t),
          List.of(s + " shirts", t + " hats"), "the number of ways", "", List.of(c1), List.of(k1));
    }
    String name = pick(rnd, ArithmeticProblems.NAMES);
    String text = "%1$s has %2$s shirts, %3$s pairs of trousers and %4$s hats. How many different outfits of one shirt, one pair of trousers and one hat can %1$s put together?"
        .formatted(name, s, t, h);
    Calc c1 = Calc.of("the shirt-and-trousers combinations", s, MUL, t);
    Calc c2 = Calc.of("the number of outfits", c1.result(), MUL, bd(h));
    Calc k1 = Calc.of("the trousers-and-hat combinations", t, MUL, h);
    Calc k2 = Calc.of("the number of outfits counted the other way", k1.result(), MUL, bd(s));
    return new Problem("counting", "outfits", text, Num.params("shirts", s, "trousers", t, "hats", h),
        List.of(s + " shirts", t + " pairs of trousers", h + " hats"), "the number of outfits", "",
        List.of(c1, c2), List.of(k1, k2));
  }

  static Problem handshakes(SplittableRandom rnd, boolean mini) {
    int n = mini ? between(rnd, 3, 12) : between(rnd, 4, 15);
    String text = mini ? "%s people each shake hands once with every other person. How many handshakes are there?".formatted(n)
        : pick(rnd, "At a meeting, each of the %s guests shakes hands exactly once with every other guest. How many handshakes take place?",
            "In a round-robin tournament with %s players, every player plays every other player exactly once. How many games are played?")
            .formatted(n);
    Calc c1 = Calc.of(mini ? "others" : "the number of other people each one meets", n, SUB, 1);
    Calc c2 = Calc.of(mini ? "ordered pairs" : "the ordered pairs", bd(n), MUL, c1.result());
    Calc c3 = Calc.of(mini ? "handshakes" : "the number of pairs", c2.result(), DIV, bd(2));
    List<Calc> checks = new ArrayList<>();
    long sum = 1;
    for (int i = 2; i < n; i++) {
      checks.add(Calc.of(mini ? "sum" : "the running sum 1 + 2 + … + " + i, sum, ADD, i));
      sum += i;
    }
    if (checks.isEmpty()) {
      checks.add(Calc.of(mini ? "sum" : "the running sum", 0, ADD, 1));
    }
    return new Problem("counting", "handshakes", text, Num.params("n", n), List.of(n + " people"),
        mini ? "the number of handshakes" : "the number of pairs", "", List.of(c1, c2, c3), checks);
  }

  static Problem committee(SplittableRandom rnd) {
    int n = between(rnd, 5, 12);
    int k = between(rnd, 2, 4);
    String text = pick(rnd, "A club of %s members must choose a committee of %s. How many different committees are possible?",
        "In how many ways can a teacher pick %2$s students out of %1$s to form a team, if the order does not matter?")
        .formatted(n, k);
    List<Calc> steps = new ArrayList<>();
    long ordered = n;
    for (int i = 1; i < k; i++) {
      steps.add(Calc.of("the ordered selections of " + (i + 1) + " people", ordered, MUL, n - i));
      ordered *= n - i;
    }
    long fact = 1;
    for (int i = 2; i <= k; i++) {
      steps.add(Calc.of("the orderings of " + i + " chosen people", fact, MUL, i));
      fact *= i;
    }
    steps.add(Calc.of("the number of committees", ordered, DIV, fact));
    Calc k1 = Calc.of("the committees times their orderings", ordered / fact, MUL, fact);
    return new Problem("counting", "committee", text, Num.params("n", n, "k", k), List.of(n + " people", "groups of " + k),
        "the number of committees", "", steps, List.of(k1));
  }

  static Problem arrangements(SplittableRandom rnd) {
    String word = pick(rnd, WORDS);
    int n = word.length();
    String text = "How many different arrangements of the letters of the word %s are there?".formatted(word);
    List<Calc> steps = new ArrayList<>();
    long acc = n;
    for (int i = n - 1; i >= 2; i--) {
      steps.add(Calc.of(i == 2 ? "the number of arrangements" : "the ways to fill the first " + (n - i + 1) + " positions", acc, MUL, i));
      acc *= i;
    }
    List<Calc> checks = new ArrayList<>();
    checks.add(Calc.of("the arrangements once the first letter is fixed", acc, DIV, n));
    long sub = n - 1;
    for (int i = n - 2; i >= 2; i--) {
      checks.add(Calc.of("the arrangements of the other " + (n - 1) + " letters, step by step", sub, MUL, i));
      sub *= i;
    }
    return new Problem("counting", "arrangements", text, Num.params("letters", n),
        List.of("the word " + word, n + " distinct letters"), "the number of arrangements", "", steps, checks);
  }

  static Problem podium(SplittableRandom rnd) {
    int n = between(rnd, 5, 15);
    String text = pick(rnd, "%s runners finish a race with no ties. In how many ways can the gold, silver and bronze medals be awarded?",
        "A contest has %s entrants. How many different ways are there to choose a first, second and third place?").formatted(n);
    Calc c1 = Calc.of("the choices for first and second place", n, MUL, n - 1);
    Calc c2 = Calc.of("the number of podiums", c1.result(), MUL, bd(n - 2));
    Calc k1 = Calc.of("the choices for second and third place", n - 1, MUL, n - 2);
    Calc k2 = Calc.of("the number of podiums counted from the back", k1.result(), MUL, bd(n));
    return new Problem("counting", "podium", text, Num.params("n", n), List.of(n + " entrants", "3 ordered places"),
        "the number of podium orders", "", List.of(c1, c2), List.of(k1, k2));
  }
}
