package io.thinklab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FinalAnswerTest {

  private static FinalAnswer.Extracted extract(String solution, String thinking) {
    return FinalAnswer.extract(solution, thinking).orElseThrow();
  }

  @Test
  void lastBoxedInTheSolutionWinsWithBalancedBraces() {
    assertEquals(new FinalAnswer.Extracted("\\frac{1}{2}", "boxed"),
        extract("First \\boxed{3}, then corrected: \\boxed{\\frac{1}{2}}.\nAnswer: 7", ""));
    assertNull(FinalAnswer.lastBoxed("\\boxed{unclosed"));
  }

  @Test
  void answerLinesInTheirUsualForms() {
    assertEquals(new FinalAnswer.Extracted("42", "answer-line"), extract("So we get 42.\nAnswer: 42", ""));
    assertEquals("$17$", extract("**Final Answer:** $17$", "").text());
    assertEquals("12 apples.", extract("Steps...\nThe final answer is 12 apples.", "").text());
    assertEquals("B", extract("Final answer: A\nfinal answer: B", "").text()); // the last one
    assertEquals(Optional.empty(), FinalAnswer.extract("Answering this needs care.", ""));
  }

  @Test
  void boxedInThinkingIsTheLastResort() {
    assertEquals(new FinalAnswer.Extracted("9", "boxed-in-thinking"), extract("It is nine.", "so \\boxed{9}"));
    assertEquals(Optional.empty(), FinalAnswer.extract("It is nine.", "no box"));
  }

  @Test
  void matchingNormalisesNumbersFractionsAndText() {
    assertTrue(FinalAnswer.matches("42.0", "42"));
    assertTrue(FinalAnswer.matches("\\frac{1}{2}", "0.5"));
    assertTrue(FinalAnswer.matches("\\dfrac{1}{2}", "1/2"));
    assertTrue(FinalAnswer.matches("$1,234$", "1234"));
    assertTrue(FinalAnswer.matches("x = 5", "5")); // the last number
    assertTrue(FinalAnswer.matches("12 apples.", "12"));
    assertTrue(FinalAnswer.matches("\\text{Paris}.", "paris"));
    assertTrue(FinalAnswer.matches("**-3**", "-3"));
    assertFalse(FinalAnswer.matches("41", "42"));
    assertFalse(FinalAnswer.matches("no number", "42"));
    assertFalse(FinalAnswer.matches("London", "Paris"));
    assertEquals("(1,2)", FinalAnswer.normalise("$(1, 2)$."));
  }
}
