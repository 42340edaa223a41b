package io.thinklab.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every generated answer is recomputed from its params by an independent formula, for every kind and variant. */
class ProblemsTest {

  private static final Pattern NUMBER = Pattern.compile("(?<![0-9.])[0-9]+(?:\\.[0-9]+)?(?![0-9])");

  @Test
  void everyAnswerRecomputesAtBothScales() {
    for (boolean mini : new boolean[] {false, true}) {
      TreeSet<String> variants = new TreeSet<>();
      SplittableRandom rnd = new SplittableRandom(2024);
      for (int i = 0; i < 5000; i++) {
        Problem p = ProblemKind.any(rnd, mini);
        BigDecimal expected = Recompute.answer(p.kind(), p.variant(), p.params());
        assertEquals(0, expected.compareTo(p.answer()), () -> p.text() + " answered " + p.answer() + ", expected " + expected);
        assertNumbersInText(p);
        variants.add(p.kind() + "/" + p.variant());
      }
      // the mini scale uses 12 of the 20 variants
      assertEquals(mini ? 12 : 20, variants.size(), () -> "variants seen: " + variants);
    }
  }

  @Test
  void sizedProblemsRecomputeAndGrowWithTheirParts() {
    SplittableRandom rnd = new SplittableRandom(99);
    TreeSet<String> variants = new TreeSet<>();
    for (boolean mini : new boolean[] {false, true}) {
      for (int parts = 2; parts <= 8; parts++) {
        for (int i = 0; i < 50; i++) {
          Problem p = ArithmeticProblems.multiStep(rnd, mini, parts);
          BigDecimal expected = Recompute.answer(p.kind(), p.variant(), p.params());
          assertEquals(0, expected.compareTo(p.answer()), () -> p.text() + " answered " + p.answer() + ", expected " + expected);
          assertTrue(p.answer().signum() >= 0, p.text());
          assertNumbersInText(p);
          int expectedSteps = p.variant().equals("basket") ? 2 * parts : 2 * parts - 1;
          assertEquals(expectedSteps, p.steps().size(), p.text());
          assertTrue(p.checks().stream().allMatch(c -> c.op().apply(c.a(), c.b()).compareTo(c.result()) == 0));
          variants.add(p.kind() + "/" + p.variant());
        }
      }
    }
    assertEquals("[arithmetic/basket, arithmetic/journey]", variants.toString());
    assertThrows(IllegalArgumentException.class, () -> ArithmeticProblems.multiStep(rnd, false, 9));
  }

  /** The inputs the reader needs are in the question (unit factors and word lengths are implied, not written). */
  private static void assertNumbersInText(Problem p) {
    TreeSet<BigDecimal> inText = new TreeSet<>();
    Matcher m = NUMBER.matcher(p.text());
    while (m.find()) {
      inText.add(new BigDecimal(m.group()).stripTrailingZeros());
    }
    for (Map.Entry<String, BigDecimal> e : p.params().entrySet()) {
      if (e.getKey().startsWith("factor") || e.getKey().equals("letters")) {
        continue;
      }
      BigDecimal v = e.getValue().abs().stripTrailingZeros();
      assertTrue(inText.contains(v), () -> e.getKey() + "=" + e.getValue() + " not in: " + p.text());
    }
  }

  @Test
  void everyStepAndCheckIsExactArithmetic() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 2000; i++) {
      Problem p = ProblemKind.any(rnd, false);
      for (Calc c : p.steps()) {
        assertEquals(0, c.op().apply(c.a(), c.b()).compareTo(c.result()), c.toString());
      }
      assertTrue(p.checks().stream().allMatch(c -> c.op().apply(c.a(), c.b()).compareTo(c.result()) == 0));
    }
  }

  @Test
  void aWrongStepIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new Calc("x", BigDecimal.ONE, Calc.Op.ADD, BigDecimal.ONE, BigDecimal.valueOf(3)));
    assertThrows(ArithmeticException.class, () -> Calc.of("third", 1, Calc.Op.DIV, 3));
  }

  @Test
  void independentFormulasAreThemselvesRight() {
    assertEquals(120, Recompute.choose(10, 3));
    assertEquals(0, Recompute.answer("linear-equation", "one-side",
        Num.params("a", 3, "b", 7, "c", 25)).compareTo(BigDecimal.valueOf(6)));
    assertEquals(0, Recompute.answer("unit-conversion", "temperature", Num.params("celsius", 100))
        .compareTo(BigDecimal.valueOf(212)));
    assertThrows(AssertionError.class, () -> Recompute.answer("counting", "no-such-variant", Map.of()));
  }
}
