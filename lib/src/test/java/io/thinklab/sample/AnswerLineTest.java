package io.thinklab.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.data.FinalAnswer;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The samples state their answer the one documented way, which the grading rule ({@link FinalAnswer}) reads. */
class AnswerLineTest {

  @Test
  void writesTheCanonicalLine() {
    assertEquals("Final answer: 12.5", FinalAnswer.line(Num.fmt(new BigDecimal("12.50"))));
    assertEquals("Final answer: 2500", FinalAnswer.line(Num.fmt(new BigDecimal("2.5E+3"))));
    assertEquals("Final answer: -3", FinalAnswer.line(Num.fmt(BigDecimal.valueOf(-3))));
  }

  @Test
  void theGradingRuleReadsTheLastAnswerLine() {
    String text = "I first thought Final answer: 7\nbut no.\nFinal answer: 12.50";
    assertTrue(FinalAnswer.solutionMatches(text, "12.5"));
    assertFalse(FinalAnswer.solutionMatches(text, "7"));
    assertTrue(FinalAnswer.solutionMatches("Final answer: $1,250", "1250"));
    assertTrue(FinalAnswer.solutionMatches("Final answer: -4", "-4"));
    assertFalse(FinalAnswer.solutionMatches("", "1"));
  }
}
