package io.thinklab.sample;

import io.thinklab.data.FinalAnswer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The two teachers at mini scale, writing about a {@link ChainProblems} problem.
 *
 * <p><b>opus-style</b> is short and exact: what is asked, then each sentence of the problem followed by its
 * step, then one check; about 60–120 tokens in all. <b>glm-style</b> works through the same steps, questions each
 * one ("Hmm, 25 - 7 = 18? Yes."), then redoes the whole chain a few more times ("Let me redo it.") before
 * "So the answer is N." Its length is set by the number of redo rounds, drawn so that nearly every row is longer
 * than the lab's truncation cutoff (the rounds end at a random point: the closing line is never predictable from
 * position alone, as in real exploratory traces).
 *
 * <p>Copying the problem's sentence before each step is what lets a small model keep its place: it finds the
 * sentence it copied last in the problem and takes the next one.
 */
final class ChainWriter {
  private ChainWriter() {}

  /** Fewest and most redo rounds of a glm-style trace. */
  static final int MIN_REDOS = 1;
  static final int MAX_REDOS = 4;

  static Written write(Problem p, Style style, SplittableRandom rnd) {
    String answer = Num.fmt(p.answer());
    String solution = "The answer is " + answer + ".\n" + FinalAnswer.PREFIX + answer;
    return new Written(style == Style.OPUS ? opus(p) : glm(p, rnd), solution);
  }

  private static String opus(Problem p) {
    StringBuilder b = new StringBuilder("Need: ").append(p.asked()).append(".\n");
    steps(p, b);
    List<Calc> checks = p.checks();
    Calc last = checks.get(checks.size() - 1);
    b.append("Check: ").append(last.equation(true)).append(". OK.");
    return b.toString();
  }

  private static String glm(Problem p, SplittableRandom rnd) {
    StringBuilder b = new StringBuilder("Okay, I need ").append(p.asked()).append(".\n");
    List<Calc> steps = p.steps();
    for (int i = 0; i < steps.size(); i++) {
      step(p, i, b);
      Calc check = p.checks().get(i);
      if (rnd.nextBoolean()) {
        b.append("Wait, let me check. ").append(check.equation(true)).append(". Yes.\n");
      } else {
        b.append("Hmm, ").append(check.equation(true)).append("? Yes.\n");
      }
    }
    int redos = Num.between(rnd, MIN_REDOS, MAX_REDOS);
    for (int r = 0; r < redos; r++) {
      b.append("Let me redo it.\n");
      for (Calc s : steps) {
        b.append(s.equation(true)).append(".\n");
      }
    }
    return b.append("So the answer is ").append(Num.fmt(p.answer())).append('.').toString();
  }

  private static void steps(Problem p, StringBuilder b) {
    for (int i = 0; i < p.steps().size(); i++) {
      step(p, i, b);
    }
  }

  /**
   * Step {@code i}'s line: "Start: 3 * 6 = 18." for a product start, else the problem's sentence and its step
   * ("He gets 7 more. 18 + 7 = 25."), after "Start: 23." when the count starts as a plain number.
   */
  private static void step(Problem p, int i, StringBuilder b) {
    Calc s = p.steps().get(i);
    boolean product = p.steps().get(0).op() == Calc.Op.MUL;
    if (i == 0 && product) {
      b.append("Start: ").append(s.equation(true)).append(".\n");
      return;
    }
    if (i == 0) {
      b.append("Start: ").append(Num.fmt(s.a())).append(".\n");
    }
    b.append(ChainProblems.sentence(p, product ? i : i + 1)).append(' ').append(s.equation(true)).append(".\n");
  }
}
