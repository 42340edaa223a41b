package io.thinklab.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FinalAnswerTest {

  @Test
  void writesTheCanonicalLine() {
    assertEquals("Final answer: 12.5", FinalAnswer.line(new BigDecimal("12.50")));
    assertEquals("Final answer: 2500", FinalAnswer.line(new BigDecimal("2.5E+3")));
    assertEquals("Final answer: -3", FinalAnswer.line(BigDecimal.valueOf(-3)));
  }

  @Test
  void extractsTheLastAnswerAndComparesNumerically() {
    String text = "I first thought Final answer: 7\nbut no.\nFinal answer: 12.50";
    assertEquals(Optional.of(new BigDecimal("12.50")), FinalAnswer.extract(text));
    assertTrue(FinalAnswer.matches(text, new BigDecimal("12.5")));
    assertFalse(FinalAnswer.matches(text, BigDecimal.valueOf(7)));
    assertTrue(FinalAnswer.matches("Final answer: $1,250", BigDecimal.valueOf(1250)));
    assertTrue(FinalAnswer.matches("Final answer: -4", BigDecimal.valueOf(-4)));
    assertEquals(Optional.empty(), FinalAnswer.extract("The answer is 4."));
    assertFalse(FinalAnswer.matches("", BigDecimal.ONE));
  }
}
