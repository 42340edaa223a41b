package io.thinklab.sample;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The structured teacher ({@link Style#OPUS}): restate, plan, numbered steps, a verification by another route,
 * then extra checks (inverse operations, estimates, splits into tens and ones, a re-read of the question) until
 * the row reaches its target length. At mini scale it writes only short {@code Step}/{@code Check} lines.
 */
final class OpusWriter {
  private OpusWriter() {}

  static Written write(Problem p, Scale scale, int budgetChars, SplittableRandom rnd) {
    return scale.mini() ? mini(p, budgetChars, rnd) : full(p, budgetChars, rnd);
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
        .append(FinalAnswer.line(p.answer()));

    StringBuilder t = new StringBuilder();
    t.append(Num.pick(rnd,
        "Let me start by pinning down what is being asked. The question wants %s. The given information: %s.",
        "I need to find %s. From the problem statement I have: %s.",
        "The task is to determine %s. What the problem gives me: %s."
    ).formatted(p.asked(), String.join("; ", p.facts()))).append("\n\n");
    t.append(Num.pick(rnd,
        "**Plan.** This takes %s calculation%s. I will do them one at a time, keep every intermediate value exact, and then verify the result by a different route.",
        "**Plan.** I can reach the answer in %s step%s, each a single exact calculation, followed by an independent check."
    ).formatted(steps.size(), steps.size() == 1 ? "" : "s")).append("\n\n");
    for (int i = 0; i < steps.size(); i++) {
      Calc c = steps.get(i);
      t.append("**Step ").append(i + 1).append(".** ").append(Num.pick(rnd,
          "Compute %s: %s.", "%2$s, which is %1$s.", i == 0 ? "First, %s: %s." : "Next comes %s: %s."
      ).formatted(c.label(), c.equation(false)));
      if (i > 0 && c.a().compareTo(steps.get(i - 1).result()) == 0) {
        t.append(" This uses the result of step ").append(i).append(".");
      }
      t.append("\n\n");
    }
    t.append("**Verification.** ").append(Num.pick(rnd,
        "I check the answer by a different route.", "Let me confirm this independently.",
        "A second route should give a consistent number.")).append("\n");
    for (Calc k : p.checks()) {
      t.append("- ").append(Text.cap(k.label())).append(": ").append(k.equation(false)).append("\n");
    }
    t.append("That reproduces ").append(Num.fmt(lastCheck.result())).append(", as it should.\n\n");

    String end = Num.pick(rnd, "**Conclusion.** %s is %s.", "**Conclusion.** Everything is consistent: %s is %s.")
        .formatted(Text.cap(p.asked()), p.answerWithUnit());
    Set<String> used = new HashSet<>();
    int retries = 40;   // redraws per row, so long rows that run out of new paragraphs stay cheap
    int round = 0;
    while (t.length() + end.length() + sol.length() < budgetChars) {
      String para = extra(p, rnd, round++);
      while (retries > 0 && !used.add(para)) {
        retries--;
        para = extra(p, rnd, round);   // prefer a paragraph not written yet; repeat only when none is left
      }
      t.append(para).append("\n\n");
    }
    t.append(end);
    return new Written(t.toString(), sol.toString());
  }

  /** One extra structured check, chosen at random among those that apply to this problem. */
  static String extra(Problem p, SplittableRandom rnd, int round) {
    List<Calc> steps = p.steps();
    for (int tries = 0; tries < 8; tries++) {
      int i = rnd.nextInt(steps.size());
      Calc c = steps.get(i);
      switch (rnd.nextInt(8)) {
        case 0 -> {
          Optional<Calc> inv = Rechecks.inverse(c);
          if (inv.isPresent()) {
            return Num.pick(rnd,
                "**Re-checking step %1$s.** Undoing the operation should bring back the starting value: %2$s. That is indeed where step %1$s started, so %3$s = %4$s holds.",
                "**Step %1$s in reverse.** If %3$s is %4$s, then %2$s must hold. It does, so step %1$s is right.")
                .formatted(i + 1, inv.get().equation(false), c.label(), Num.fmt(c.result()));
          }
        }
        case 5 -> {
          Optional<Calc> com = Rechecks.commute(c);
          if (com.isPresent()) {
            return "**Order of operands in step %s.** The %s can be done in either order: %s, the same %s."
                .formatted(i + 1, c.op().word(), com.get().equation(false), Num.fmt(c.result()));
          }
        }
        case 6 -> {
          Optional<Calc> wrong = Rechecks.wrongOperation(c);
          if (wrong.isPresent()) {
            return "**Why %s in step %s?** Using %s instead would give %s, but that does not describe %s. The step needs %s: %s."
                .formatted(c.op().word(), i + 1, wrong.get().op().word(), wrong.get().equation(false), c.label(),
                    c.op().word(), c.equation(false));
          }
        }
        case 7 -> {
          return "**Inputs used.** %s. These are all the quantities the calculation needs; nothing outside the problem statement is used."
              .formatted(Text.cap(String.join("; ", p.facts())));
        }
        case 1 -> {
          Optional<Calc> est = Rechecks.estimate(c);
          if (est.isPresent()) {
            return "**Sanity check on size.** Rounding the numbers of step %s gives %s. The exact value %s is close to this estimate, so there is no slip of a factor of ten."
                .formatted(i + 1, est.get().equation(false), Num.fmt(c.result()));
          }
        }
        case 2 -> {
          Optional<List<Calc>> dec = Rechecks.decompose(c);
          if (dec.isPresent()) {
            List<Calc> d = dec.get();
            return "**Step %s another way.** Splitting the multiplier into tens and ones: %s, %s, and together %s. Same value."
                .formatted(i + 1, d.get(0).equation(false), d.get(1).equation(false), d.get(2).equation(false));
          }
        }
        case 3 -> {
          if (steps.size() > 1 && i < steps.size() - 1) {
            return "**Re-reading the question.** The question asks for %s, not for %s. So %s (from step %s) is only an intermediate value, and the number to report is %s."
                .formatted(p.asked(), c.label(), Num.fmt(c.result()), i + 1, Num.fmt(p.answer()));
          }
        }
        default -> {
          StringBuilder s = new StringBuilder("**The whole chain in one place.** ");
          for (int j = 0; j < steps.size(); j++) {
            s.append(j == 0 ? "" : "; then ").append(steps.get(j).equation(false));
          }
          return s.append(". Each line uses only the given numbers or a result above it, and the chain ends at ")
              .append(p.answerWithUnit()).append(".").toString();
        }
      }
    }
    return "**One more look at step %s.** %s: %s. No change.".formatted(round % steps.size() + 1,
        Text.cap(steps.get(round % steps.size()).label()), steps.get(round % steps.size()).equation(false));
  }

  // ---- mini scale: short, regular lines -----------------------------------------------------------------

  static Written mini(Problem p, int budgetChars, SplittableRandom rnd) {
    List<Calc> steps = p.steps();
    String sol = "The answer is " + p.answerWithUnit() + ".\n" + FinalAnswer.line(p.answer());
    StringBuilder t = new StringBuilder();
    for (int i = 0; i < steps.size(); i++) {
      t.append("Step ").append(i + 1).append(": ").append(steps.get(i).label()).append(" = ")
          .append(steps.get(i).equation(true)).append(".\n");
    }
    Calc lastCheck = p.checks().get(p.checks().size() - 1);
    t.append("Check: ").append(lastCheck.equation(true)).append(". OK.");
    while (t.length() + sol.length() < budgetChars) {
      int i = rnd.nextInt(steps.size());
      Calc c = steps.get(i);
      Optional<Calc> inv = Rechecks.inverse(c);
      t.append("\nCheck step ").append(i + 1).append(": ")
          .append(inv.map(k -> k.equation(true)).orElse(c.equation(true))).append(". OK.");
    }
    return new Written(t.toString(), sol);
  }
}
