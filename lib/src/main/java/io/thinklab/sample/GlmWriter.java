package io.thinklab.sample;

import io.thinklab.data.FinalAnswer;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The exploratory teacher ({@link Style#GLM}): thinks aloud, makes and catches small slips ("Wait, no…"),
 * re-reads the question, re-derives everything from scratch, and keeps checking until the row reaches its
 * (often long) target length. At mini scale it uses a handful of short, fixed phrases.
 */
final class GlmWriter {
  private GlmWriter() {}

  static Written write(Problem p, Scale scale, int budgetChars, SplittableRandom rnd) {
    return scale.mini() ? mini(p, budgetChars, rnd) : full(p, budgetChars, rnd);
  }

  // ---- full scale ---------------------------------------------------------------------------------------

  static Written full(Problem p, int budgetChars, SplittableRandom rnd) {
    StringBuilder sol = new StringBuilder();
    sol.append(Text.cap(p.asked())).append(": ").append(p.answerWithUnit()).append(".\n\n");
    for (Calc c : p.steps()) {
      sol.append("- ").append(Text.cap(c.label())).append(": ").append(c.equation(false)).append("\n");
    }
    sol.append("\n").append(FinalAnswer.line(Num.fmt(p.answer())));

    StringBuilder t = new StringBuilder();
    t.append(Num.pick(rnd,
        "Okay, so the problem says: \"%s\" I need to find %s.",
        "Alright, let me read this carefully. \"%s\" So the goal is %s.",
        "Let me see. The question is: \"%s\" What I want is %s."
    ).formatted(p.text(), p.asked())).append("\n\n");
    t.append(Num.pick(rnd, "Let me think about how to approach this. ", "Hmm, where do I start? ",
        "First, what do I actually know? ")).append("I have ").append(String.join(", ", p.facts())).append(".\n\n");
    derive(p, rnd, t, true);
    t.append(Num.pick(rnd, "Wait, let me double-check that with a different route. ",
        "Hmm, before I commit, let me verify this another way. ")).append(checks(p)).append("\n\n");

    String end = Num.pick(rnd, "Okay. I've checked this several ways and it keeps coming out the same. So %s is %s.",
        "Alright, I'm confident now: %s is %s.").formatted(p.asked(), p.answerWithUnit());
    Set<String> used = new HashSet<>();
    int retries = 40;   // redraws per row, so long rows that run out of new paragraphs stay cheap
    while (t.length() + end.length() + sol.length() < budgetChars) {
      String para = thought(p, rnd);
      while (retries > 0 && !used.add(para)) {
        retries--;
        para = thought(p, rnd);   // prefer a paragraph not written yet; repeat only when none is left
      }
      t.append(para).append("\n\n");
    }
    t.append(end);
    return new Written(t.toString(), sol.toString());
  }

  /** Walks through the steps in conversational sentences, sometimes slipping and correcting itself. */
  static void derive(Problem p, SplittableRandom rnd, StringBuilder t, boolean slips) {
    List<Calc> steps = p.steps();
    for (int i = 0; i < steps.size(); i++) {
      Calc c = steps.get(i);
      String sym = c.op().symbol(false);
      if (slips && rnd.nextInt(3) == 0) {
        BigDecimal wrong = c.result().add(BigDecimal.valueOf(Num.pick(rnd, 1, -1, 10, -10, 2)));
        t.append(Num.pick(rnd,
            "%1$s would be %2$s %3$s %4$s... that's %5$s. Wait, no. Let me redo that: %6$s. Yes, %7$s, not %5$s.",
            "So %1$s: %2$s %3$s %4$s = %5$s? Hmm, that doesn't look right. Actually, %6$s. I slipped there. It's %7$s."
        ).formatted(Text.cap(c.label()), Num.fmt(c.a()), sym, Num.operand(c.b()), Num.fmt(wrong), c.equation(false),
            Num.fmt(c.result())));
      } else {
        t.append(Text.cap(Num.pick(rnd, "%s: %s.", "So %s is %s.", "Then %s, that's %s.", "Now for %s. %s.",
                "Next, %s. I get %s.", "%s comes out as %s.")
            .formatted(c.label(), c.equation(false))));
      }
      t.append(i == steps.size() - 1 ? "\n\n" : " ");
    }
  }

  static String checks(Problem p) {
    StringBuilder s = new StringBuilder();
    for (Calc k : p.checks()) {
      s.append(Text.cap(k.label())).append(": ").append(k.equation(false)).append(". ");
    }
    return s.append("Good, that matches.").toString();
  }

  /** One paragraph of thinking: one exploratory move, or two run together as a stream of thought. */
  static String thought(Problem p, SplittableRandom rnd) {
    return rnd.nextInt(3) == 0 ? wander(p, rnd) + " " + wander(p, rnd) : wander(p, rnd);
  }

  /** One exploratory move: a re-check, a re-read, an alternative reading, or a full re-derivation. */
  static String wander(Problem p, SplittableRandom rnd) {
    List<Calc> steps = p.steps();
    for (int tries = 0; tries < 8; tries++) {
      int i = rnd.nextInt(steps.size());
      Calc c = steps.get(i);
      switch (rnd.nextInt(9)) {
        case 7 -> {
          Optional<Calc> wrong = Rechecks.wrongOperation(c);
          if (wrong.isPresent()) {
            return Num.pick(rnd,
                "Hmm, wait. Should %1$s be %2$s instead? That gives %3$s. No, that doesn't make sense here. It has to be %4$s, so %5$s.",
                "Actually, hold on. What if I should have used %6$s? %2$s. Hmm, no. For %1$s the %7$s is right: %5$s.")
                .formatted(c.label(), wrong.get().equation(false), Num.fmt(wrong.get().result()), c.op().word(),
                    c.equation(false), wrong.get().op().word(), c.op().word());
          }
        }
        case 8 -> {
          Optional<Calc> com = Rechecks.commute(c);
          if (com.isPresent()) {
            return Num.pick(rnd, "Let me flip it around: %s. Yep, still %s.", "Or the other way: %s. Same thing, %s.",
                "Order doesn't matter here: %s. Still %s.")
                .formatted(com.get().equation(false), Num.fmt(c.result()));
          }
        }
        case 0 -> {
          Optional<Calc> inv = Rechecks.inverse(c);
          if (inv.isPresent()) {
            return Num.pick(rnd, "Wait, let me re-check %s. If I undo it: %s. Okay, that's consistent.",
                "Hmm, let me make sure about %s by going backwards: %s. Yes, that works.",
                "Is %s really right? Going the other way, %s. Good.",
                "Let me double-check %s by reversing the operation. %s. That's what I started from, so it holds.")
                .formatted(c.label(), inv.get().equation(false));
          }
        }
        case 1 -> {
          Optional<Calc> est = Rechecks.estimate(c);
          if (est.isPresent()) {
            return Num.pick(rnd, "Let me sanity-check the size. Roughly, %s, and I got %s. Same ballpark, so no factor-of-ten slip.",
                "Quick estimate: %s. My exact value is %s, which is close. Fine.",
                "Hmm, does the size make sense? Rounding gives %s, and the exact %s is near that. Okay.")
                .formatted(est.get().equation(false), Num.fmt(c.result()));
          }
        }
        case 2 -> {
          Optional<List<Calc>> dec = Rechecks.decompose(c);
          if (dec.isPresent()) {
            List<Calc> d = dec.get();
            return Num.pick(rnd, "Actually, let me redo %s by splitting it up. %s, and %s. Adding: %s. Yes, same as before.",
                "Let me do %s another way, in pieces: %s, then %s, and together %s. Matches.")
                .formatted(c.equation(false), d.get(0).equation(false), d.get(1).equation(false), d.get(2).equation(false));
          }
        }
        case 3 -> {
          return Num.pick(rnd, "Let me re-read the problem to make sure I'm answering the right thing. \"%s\" Okay, it asks for %s.",
              "Hmm, wait. Did I read the question right? \"%s\" Yes, it wants %s.",
              "Going back to the question once more: \"%s\" So what matters is %s. Right.")
              .formatted(p.text(), p.asked());
        }
        case 4 -> {
          if (i < steps.size() - 1) {
            return Num.pick(rnd, "Hmm, but could the answer just be %s, which is %s? No. That's only an intermediate value. The question asks for %s, so I need to go all the way to %s.",
                "Wait, should I stop at %s (%s)? No, the question is about %s. Keep going: %s.",
                "Careful not to report %s, which is just %s. What's asked is %s, and that's %s.")
                .formatted(Num.fmt(c.result()), c.label(), p.asked(), Num.fmt(p.answer()));
          }
        }
        case 5 -> {
          StringBuilder s = new StringBuilder(Num.pick(rnd,
              "Actually, let me redo the whole thing from scratch, just to be sure I didn't mess anything up. ",
              "Let me go through it once more, slowly. "));
          derive(p, rnd, s, false);
          return s.append("Same result as before.").toString();
        }
        default -> {
          return Num.pick(rnd, "Let me verify once more, independently. ", "Hmm, one more check. ",
              "Actually, let me confirm with the check route again. ", "Just to be safe, the independent check: ") + checks(p);
        }
      }
    }
    return "Wait, let me look at %s again. %s. Fine.".formatted(steps.get(0).label(), steps.get(0).equation(false));
  }

  // ---- mini scale: few, fixed phrases -------------------------------------------------------------------

  static Written mini(Problem p, int budgetChars, SplittableRandom rnd) {
    List<Calc> steps = p.steps();
    String sol = "The answer is " + p.answerWithUnit() + ".\n" + FinalAnswer.line(Num.fmt(p.answer()));
    StringBuilder t = new StringBuilder("Okay, I need " + p.asked() + ".");
    for (Calc c : steps) {
      t.append("\nSo ").append(c.label()).append(" is ").append(c.equation(true)).append(".");
    }
    String end = "\nSo the answer is " + Num.fmt(p.answer()) + ".";
    while (t.length() + end.length() + sol.length() < budgetChars) {
      Calc c = steps.get(rnd.nextInt(steps.size()));
      Optional<Calc> inv = Rechecks.inverse(c);
      switch (rnd.nextInt(3)) {
        case 0 -> t.append("\nWait, let me check ").append(c.label()).append(". ")
            .append(inv.map(k -> k.equation(true)).orElse(c.equation(true))).append(". Yes.");
        case 1 -> t.append("\nHmm, ").append(c.equation(true)).append("? Yes.");
        default -> t.append("\nLet me redo it. ").append(c.label()).append(" is ").append(c.equation(true)).append(".");
      }
    }
    t.append(end);
    return new Written(t.toString(), sol);
  }
}
