package io.thinklab.sample;

import io.thinklab.data.FinalAnswer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The structured teacher ({@link Style#OPUS}): restate, plan, numbered steps, a verification by another route,
 * then extra checks of different kinds (undo a step, swap its operands, estimate it, split it, check its
 * direction, ask why this operation, re-read the question, units, how the steps depend on each other) until the row reaches its target
 * length. At mini scale it writes short {@code Need}/{@code Plan}/{@code Step}/{@code Check} lines.
 *
 * <p>Unlike the exploratory teacher, it never loops: no line appears twice in a trace, and each extra check is
 * written at most once. When a problem has no new check left, the trace simply ends shorter; the generator then
 * picks a problem with more steps for a long target ({@link #isShort}).
 */
final class OpusWriter {
  private OpusWriter() {}

  static Written write(Problem p, Scale scale, int budgetChars, SplittableRandom rnd) {
    return scale.mini() ? mini(p, budgetChars, rnd) : full(p, budgetChars, rnd);
  }

  /** Whether {@code w} stopped below its budget because the problem had nothing new left to say. */
  static boolean isShort(Written w, int budgetChars) {
    return w.thinking().length() + w.solution().length() < budgetChars;
  }

  /** A trace under construction; it refuses a paragraph that would repeat a line already written. */
  static final class Trace {
    private final StringBuilder text = new StringBuilder();
    private final Set<String> lines = new HashSet<>();
    private final Set<String> equations = new HashSet<>();
    private final String separator;

    Trace(String separator) {
      this.separator = separator;
    }

    /** Appends {@code para} unless one of its lines is already in the trace; says whether it did. */
    boolean add(String para) {
      List<String> ls = para.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
      if (ls.stream().anyMatch(lines::contains) || new HashSet<>(ls).size() < ls.size()) {
        return false;
      }
      lines.addAll(ls);
      text.append(text.isEmpty() ? "" : separator).append(para);
      return true;
    }

    /** Records an equation as shown, so a later check does not merely write it again. */
    void shown(Calc c) {
      equations.add(Num.fmt(c.a()) + c.op() + Num.fmt(c.b()));
    }

    boolean isNew(Calc c) {
      return !equations.contains(Num.fmt(c.a()) + c.op() + Num.fmt(c.b()));
    }

    int length() {
      return text.length();
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }

  // ---- full scale ---------------------------------------------------------------------------------------

  static Written full(Problem p, int budgetChars, SplittableRandom rnd) {
    List<Calc> steps = p.steps();
    StringBuilder sol = new StringBuilder("**Solution**\n\n");
    for (int i = 0; i < steps.size(); i++) {
      sol.append(i + 1).append(". ").append(Text.cap(steps.get(i).label())).append(": ")
          .append(steps.get(i).equation(false)).append("\n");
    }
    Calc lastCheck = p.checks().get(p.checks().size() - 1);
    sol.append("\nCheck: ").append(lastCheck.equation(false)).append(" ✓\n\n")
        .append(Text.cap(p.asked())).append(" is **").append(p.answerWithUnit()).append("**.\n\n")
        .append(FinalAnswer.line(Num.fmt(p.answer())));

    Trace t = new Trace("\n\n");
    t.add(Num.pick(rnd,
        "Let me start by pinning down what is being asked. The question wants %s. The given information: %s.",
        "I need to find %s. From the problem statement I have: %s.",
        "The task is to determine %s. What the problem gives me: %s."
    ).formatted(p.asked(), String.join("; ", p.facts())));
    t.add(plan(p, rnd));
    for (int i = 0; i < steps.size(); i++) {
      Calc c = steps.get(i);
      String para = "**Step " + (i + 1) + ".** " + Num.pick(rnd,
          "Compute %s: %s.", "%2$s, which is %1$s.", i == 0 ? "First, %s: %s." : "Next comes %s: %s."
      ).formatted(c.label(), c.equation(false));
      if (i > 0 && c.a().compareTo(steps.get(i - 1).result()) == 0) {
        para += " This uses the result of step " + i + ".";
      }
      t.add(para);
      t.shown(c);
    }
    StringBuilder v = new StringBuilder("**Verification.** ").append(Num.pick(rnd,
        "I check the answer by a different route.", "Let me confirm this independently.",
        "A second route should give a consistent number.")).append("\n");
    for (Calc k : p.checks()) {
      v.append("- ").append(Text.cap(k.label())).append(": ").append(k.equation(false)).append("\n");
      t.shown(k);
    }
    t.add(v.append("That reproduces ").append(Num.fmt(lastCheck.result())).append(", as it should.").toString());

    String end = Num.pick(rnd, "**Conclusion.** %s is %s.", "**Conclusion.** Everything is consistent: %s is %s.")
        .formatted(Text.cap(p.asked()), p.answerWithUnit());
    for (String para : fill(extras(p, t, rnd), budgetChars - t.length() - end.length() - sol.length(), 2, rnd)) {
      t.add(para);
    }
    t.add(end);
    return new Written(t.toString(), sol.toString());
  }

  /** The plan: how many calculations and, for several, what each one finds. */
  static String plan(Problem p, SplittableRandom rnd) {
    List<Calc> steps = p.steps();
    if (steps.size() == 1) {
      return "**Plan.** One exact calculation gives %s. After it I will verify the result by a different route."
          .formatted(p.asked());
    }
    List<String> labels = steps.stream().map(Calc::label).toList();
    String list = String.join(", ", labels.subList(0, labels.size() - 1)) + " and finally " + labels.get(labels.size() - 1);
    return Num.pick(rnd,
        "**Plan.** This takes %s calculations: %s. I will do them one at a time, keep every intermediate value exact, and then verify the result by a different route.",
        "**Plan.** I can reach the answer in %s steps, each a single exact calculation: %s. An independent check follows."
    ).formatted(steps.size(), list);
  }

  /**
   * Every extra check that applies to this problem, each once, in reading order: the inputs and how the steps
   * depend on each other; per step the inverse,
   * the swapped operands, an estimate, a split into tens and ones, its direction (larger or smaller), why this
   * operation and not another, a
   * re-read of the question; then the whole chain and the unit of the answer.
   */
  static List<String> extras(Problem p, Trace t, SplittableRandom rnd) {
    List<Calc> steps = p.steps();
    List<String> out = new ArrayList<>();
    out.add("**Inputs used.** %s. These are all the quantities the calculation needs; nothing outside the problem statement is used."
        .formatted(Text.cap(String.join("; ", p.facts()))));
    if (steps.size() > 1) {
      out.add(dependencies(steps));
    }
    for (int i = 0; i < steps.size(); i++) {
      Calc c = steps.get(i);
      int n = i + 1;
      Rechecks.inverse(c).filter(t::isNew).ifPresent(inv -> out.add(Num.pick(rnd,
          "**Re-checking step %1$s.** Undoing the operation should bring back the starting value: %2$s. That is indeed where step %1$s started, so %3$s = %4$s holds.",
          "**Step %1$s in reverse.** If %3$s is %4$s, then %2$s must hold. It does, so step %1$s is right.")
          .formatted(n, inv.equation(false), c.label(), Num.fmt(c.result()))));
      Rechecks.commute(c).filter(t::isNew).ifPresent(com -> out.add(
          "**Order of operands in step %s.** The %s can be done in either order: %s, the same %s."
              .formatted(n, c.op().word(), com.equation(false), Num.fmt(c.result()))));
      Rechecks.wrongOperation(c).ifPresent(wrong -> out.add(
          "**Why %s in step %s?** Using %s instead would give %s, but that does not describe %s. The step needs %s: %s."
              .formatted(c.op().word(), n, wrong.op().word(), wrong.equation(false), c.label(), c.op().word(),
                  c.equation(false))));
      Rechecks.estimate(c).ifPresent(est -> out.add(
          "**Sanity check on size in step %s.** Rounding the numbers gives %s. The exact value %s is close to this estimate, so there is no slip of a factor of ten."
              .formatted(n, est.equation(false), Num.fmt(c.result()))));
      Rechecks.decompose(c).ifPresent(d -> out.add(
          "**Step %s another way.** Splitting the multiplier into tens and ones: %s, %s, and together %s. Same value."
              .formatted(n, d.get(0).equation(false), d.get(1).equation(false), d.get(2).equation(false))));
      direction(c).ifPresent(d -> out.add("**Direction of step %s.** %s".formatted(n, d)));
      if (i < steps.size() - 1) {
        out.add("**Re-reading the question after step %s.** The question asks for %s, not for %s. So %s is only an intermediate value, and the number to report comes later."
            .formatted(n, p.asked(), c.label(), Num.fmt(c.result())));
      }
    }
    if (steps.size() > 1) {
      StringBuilder s = new StringBuilder("**The whole chain in one place.** ");
      for (int j = 0; j < steps.size(); j++) {
        s.append(j == 0 ? "" : "; then ").append(steps.get(j).equation(false));
      }
      out.add(s.append(". Each line uses only the given numbers or a result above it, and the chain ends at ")
          .append(p.answerWithUnit()).append(".").toString());
    }
    if (!p.unit().isEmpty()) {
      out.add("**Units check.** The question wants %s, and the last step gives %s in %s, so no conversion is left to do and %s is reported as it stands."
          .formatted(p.asked(), Num.fmt(p.answer()), p.unit(), Num.fmt(p.answer())));
    }
    return out;
  }

  /**
   * A random choice from {@code pool} that just fills {@code room} characters (each entry costs its length plus
   * {@code separator}), returned in the pool's own order so the trace still reads step by step.
   */
  static List<String> fill(List<String> pool, int room, int separator, SplittableRandom rnd) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      order.add(i);
    }
    for (int i = order.size() - 1; i > 0; i--) {   // Fisher–Yates with the row's own random numbers
      Collections.swap(order, i, rnd.nextInt(i + 1));
    }
    List<Integer> picked = new ArrayList<>();
    int used = 0;
    for (int i = 0; i < order.size() && used < room; i++) {
      picked.add(order.get(i));
      used += pool.get(order.get(i)).length() + separator;
    }
    Collections.sort(picked);
    return picked.stream().map(pool::get).toList();
  }

  /**
   * Whether the step should make its first operand larger or smaller, and that it does: a check of direction,
   * for positive operands; empty when the operation keeps the size (× 1, ÷ 1) or an operand is not positive.
   */
  static Optional<String> direction(Calc c) {
    if (c.a().signum() <= 0 || c.b().signum() <= 0 || c.b().compareTo(java.math.BigDecimal.ONE) == 0) {
      return Optional.empty();
    }
    String a = Num.fmt(c.a());
    String b = Num.fmt(c.b());
    boolean bigB = c.b().compareTo(java.math.BigDecimal.ONE) > 0;
    String why = switch (c.op()) {
      case ADD -> "Adding %s, a positive number, to %s".formatted(b, a);
      case SUB -> "Taking away %s, a positive number, from %s".formatted(b, a);
      case MUL -> "Multiplying %s by %s, which is %s than 1,".formatted(a, b, bigB ? "more" : "less");
      case DIV -> "Dividing %s by %s, which is %s than 1,".formatted(a, b, bigB ? "more" : "less");
    };
    boolean up = switch (c.op()) {
      case ADD -> true;
      case SUB -> false;
      case MUL -> bigB;
      case DIV -> !bigB;
    };
    boolean holds = up ? c.result().compareTo(c.a()) > 0 : c.result().compareTo(c.a()) < 0;
    if (!holds) {
      throw new IllegalStateException("direction check fails for " + c);   // cannot happen for exact arithmetic
    }
    return Optional.of("%s must give %s than %s, and %s is %s, as expected."
        .formatted(why, up ? "more" : "less", a, Num.fmt(c.result()), up ? "larger" : "smaller"));
  }

  /** Which earlier step each step takes its numbers from: a check that nothing is used before it exists. */
  static String dependencies(List<Calc> steps) {
    StringBuilder s = new StringBuilder("**What each step depends on.**");
    for (int j = 0; j < steps.size(); j++) {
      List<String> from = new ArrayList<>();
      for (int k = 0; k < j; k++) {
        Calc earlier = steps.get(k);
        Calc c = steps.get(j);
        if (earlier.result().compareTo(c.a()) == 0 || earlier.result().compareTo(c.b()) == 0) {
          from.add(String.valueOf(k + 1));
        }
      }
      s.append(j == 0 ? " Step " : " step ").append(j + 1).append(from.isEmpty() ? " uses only given numbers;"
          : " uses the result of step" + (from.size() > 1 ? "s " : " ") + String.join(" and ", from) + ";");
    }
    return s.append(" so every number is available before it is needed.").toString();
  }

  // ---- mini scale: short, regular lines -----------------------------------------------------------------

  static Written mini(Problem p, int budgetChars, SplittableRandom rnd) {
    List<Calc> steps = p.steps();
    String sol = "The answer is " + p.answerWithUnit() + ".\n" + FinalAnswer.line(Num.fmt(p.answer()));
    Trace t = new Trace("\n");
    t.add("Need: " + p.asked() + ".");
    t.add("Plan: " + steps.size() + (steps.size() == 1 ? " step" : " steps") + ", then a check.");
    for (int i = 0; i < steps.size(); i++) {
      Calc c = steps.get(i);
      t.add("Step " + (i + 1) + ": " + c.label() + " = " + c.equation(true) + ".");
      t.shown(c);
    }
    // all checks when they fit, else only the last one (the one that closes the loop)
    List<String> checks = p.checks().stream().map(k -> "Check: " + k.equation(true) + ". OK.").toList();
    int all = checks.stream().mapToInt(l -> l.length() + 1).sum();
    for (String line : t.length() + all + sol.length() <= budgetChars ? checks : checks.subList(checks.size() - 1, checks.size())) {
      t.add(line);
    }
    p.checks().forEach(t::shown);

    List<String> extras = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Calc c = steps.get(i);
      int n = i + 1;
      Rechecks.inverse(c).filter(t::isNew).ifPresent(k -> extras.add("Check step " + n + ": " + k.equation(true) + ". OK."));
      Rechecks.commute(c).filter(t::isNew).ifPresent(k -> extras.add("Swap step " + n + ": " + k.equation(true) + ". OK."));
      Rechecks.estimate(c).ifPresent(k -> extras.add("Round step " + n + ": " + k.equation(true) + ", near "
          + Num.fmt(c.result()) + ". OK."));
      Optional<List<Calc>> d = Rechecks.decompose(c);
      d.ifPresent(k -> extras.add("Split step " + n + ": " + k.get(0).equation(true) + ", " + k.get(1).equation(true)
          + ", " + k.get(2).equation(true) + ". OK."));
    }
    for (String line : fill(extras, budgetChars - t.length() - sol.length(), 1, rnd)) {
      t.add(line);
    }
    return new Written(t.toString(), sol);
  }
}
