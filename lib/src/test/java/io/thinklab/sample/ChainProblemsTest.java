package io.thinklab.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The mini scale's problems stay within what the tiny model can compute, and both teachers write their steps. */
class ChainProblemsTest {

  @Test
  void everyCountStaysWithinOneToTwentyNeverRepeatsAndEachStepIsSmall() {
    for (int i = 0; i < 3000; i++) {
      Problem p = ChainProblems.next(new SplittableRandom(i));
      assertTrue(p.steps().size() >= 2 && p.steps().size() <= 5, p.text());
      Set<BigDecimal> seen = new HashSet<>();
      for (Calc c : p.steps()) {
        int r = c.result().intValueExact();
        assertTrue(r >= 1 && r <= ChainProblems.MAX, p.text() + ": " + c.equation(true));
        assertTrue(seen.add(c.result()), "a count repeats, so a step line would: " + p.text());
        if (c.op() != Calc.Op.MUL) {
          assertTrue(c.b().intValueExact() >= 2 && c.b().intValueExact() <= 9, c.equation(true));
        } else {
          assertTrue(c.a().intValueExact() <= 4 && c.b().intValueExact() <= 5, c.equation(true));
        }
      }
      assertEquals(ChainProblems.answerFrom(p.params()), p.answer().longValueExact());
    }
  }

  @Test
  void opusWritesEachSentenceWithItsStepAndGlmRedoesTheChainBeforeItsAnswer() {
    Problem p = ChainProblems.next(new SplittableRandom(7));
    Written opus = ChainWriter.write(p, Style.OPUS, new SplittableRandom(1));
    Written glm = ChainWriter.write(p, Style.GLM, new SplittableRandom(1));
    List<String> lines = opus.thinking().lines().toList();
    assertTrue(lines.get(0).startsWith("Need: "), opus.thinking());
    assertTrue(lines.get(1).startsWith("Start: "), opus.thinking());
    assertTrue(lines.get(lines.size() - 1).startsWith("Check: ") && lines.get(lines.size() - 1).endsWith("OK."));
    for (Calc c : p.steps()) {
      assertTrue(opus.thinking().contains(c.equation(true)), c.equation(true) + " in " + opus.thinking());
    }
    long redos = glm.thinking().lines().filter(l -> l.equals("Let me redo it.")).count();
    assertTrue(redos >= ChainWriter.MIN_REDOS && redos <= ChainWriter.MAX_REDOS, glm.thinking());
    assertTrue(glm.thinking().endsWith("So the answer is " + p.answer() + "."), glm.thinking());
    assertEquals("The answer is " + p.answer() + ".\nFinal answer: " + p.answer(), opus.solution());
    assertEquals(opus.solution(), glm.solution());
  }
}
