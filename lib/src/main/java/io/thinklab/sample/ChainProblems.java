package io.thinklab.sample;

import static io.thinklab.sample.Num.between;
import static io.thinklab.sample.Num.pick;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The mini scale's problems: a count that changes a few times ("Tom has 3 bags of 6 apples. He gets 7 more. He
 * gives 4 away. How many apples does he have now?"). Every step is one a 2.8 M-parameter model can learn to
 * compute in its pre-training budget: a small product (at most 4 × 5), or adding or taking away a one-digit
 * number, every count staying within 1–{@value #MAX} (a few hundred facts). So a tiny
 * model that writes the steps down can get the answer, while answering at once means composing two to five steps
 * in one forward pass: the payoff of thinking is measurable at lab scale ({@code thinklab ablation thinking}).
 *
 * <p>{@code params}: {@code start} (or {@code bags} and {@code each} when the count starts as a product), then
 * {@code d1, d2, …}, signed changes in order. The answer is {@code start + d1 + d2 + …}; every running total
 * stays within 1–{@value #MAX}.
 */
final class ChainProblems {
  private ChainProblems() {}

  static final List<String> NAMES = List.of("Tom", "Ana", "Mia", "Sam");
  static final List<String> ITEMS = List.of("apples", "pens", "cups", "hats", "buns");
  /** The largest count a problem reaches: the tiny model learns every sum and difference up to here. */
  static final int MAX = 20;

  /** Draws one problem with 2 to 5 steps (a product start counts as a step). */
  static Problem next(SplittableRandom rnd) {
    String name = pick(rnd, NAMES);
    String he = name.equals("Ana") || name.equals("Mia") ? "She" : "He";
    String item = pick(rnd, ITEMS);
    boolean product = rnd.nextBoolean();
    int changes = product ? between(rnd, 1, 4) : between(rnd, 2, 4);
    List<Calc> steps = new ArrayList<>();
    Map<String, java.math.BigDecimal> params;
    StringBuilder text = new StringBuilder(name).append(" has ");
    int value;
    if (product) {
      int bags = between(rnd, 2, 4);
      int each = between(rnd, 2, 5);
      value = bags * each;
      steps.add(Calc.of("start", bags, Calc.Op.MUL, each));
      params = Num.params("bags", bags, "each", each);
      text.append(bags).append(" bags of ").append(each).append(' ').append(item).append('.');
    } else {
      value = between(rnd, 5, 15);
      params = Num.params("start", value);
      text.append(value).append(' ').append(item).append('.');
    }
    java.util.Set<Integer> seen = new java.util.HashSet<>(List.of(value));
    for (int i = 1; i <= changes; i++) {
      // a change to a count not reached before (so no step line repeats) that stays within 1–MAX
      int d;
      boolean add;
      int next;
      do {
        d = between(rnd, 2, 9);
        add = rnd.nextBoolean();
        if (!add && value - d < 1) {
          add = true;
        }
        if (add && value + d > MAX) {
          add = false;
        }
        next = add ? value + d : value - d;
      } while (seen.contains(next));
      seen.add(next);
      steps.add(Calc.of(add ? "gets" : "gives", value, add ? Calc.Op.ADD : Calc.Op.SUB, d));
      value = next;
      params.put("d" + i, Num.bd(add ? d : -d));
      text.append(' ').append(he).append(add ? " gets " + d + " more." : " gives " + d + " away.");
    }
    text.append(" How many ").append(item).append(" does ").append(he.toLowerCase(java.util.Locale.ROOT))
        .append(" have now?");
    String asked = "the " + item + " now";
    return new Problem("arithmetic", product ? "chain-bags" : "chain", text.toString(), params, List.of(), asked,
        "", steps, checks(steps));
  }

  /** One check per step: undo it (the result minus what was added gives the number before). */
  private static List<Calc> checks(List<Calc> steps) {
    List<Calc> out = new ArrayList<>();
    for (Calc s : steps) {
      out.add(switch (s.op()) {
        case MUL -> Calc.of("undo", s.result(), Calc.Op.DIV, s.b());
        case ADD -> Calc.of("undo", s.result(), Calc.Op.SUB, s.b());
        case SUB -> Calc.of("undo", s.result(), Calc.Op.ADD, s.b());
        case DIV -> Calc.of("undo", s.result(), Calc.Op.MUL, s.b());
      });
    }
    return out;
  }

  /** The sentence of the problem that step {@code i} acts on ("He gets 7 more."), or the start for step 0. */
  static String sentence(Problem p, int i) {
    String[] parts = p.text().split("(?<=\\.) ");
    return parts[i];
  }

  /** Tests recompute the answer from the params with this formula. */
  static long answerFrom(Map<String, java.math.BigDecimal> params) {
    long v = params.containsKey("start") ? params.get("start").longValueExact()
        : params.get("bags").longValueExact() * params.get("each").longValueExact();
    for (int i = 1; params.containsKey("d" + i); i++) {
      v += params.get("d" + i).longValueExact();
    }
    return v;
  }
}
