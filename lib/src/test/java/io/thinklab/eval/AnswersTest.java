package io.thinklab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswersTest {
  @Test
  void extractionRuleOrder() {
    assertEquals(Optional.of("8"), Answers.extract("The answer is 8.\nFinal answer: 8", "think"));
    assertEquals(Optional.of("7"), Answers.extract("Final answer: 8 \\boxed{7}", "")); // boxed wins
    assertEquals(Optional.of("3"), Answers.extract("", "so \\boxed{3}"));              // boxed in thinking
    assertEquals(Optional.empty(), Answers.extract("", "I think it is 3"));           // no rule applies
  }

  @Test
  void numericToleranceAndReferenceTypes() {
    assertTrue(Answers.correct("Final answer: 8", "", 8));
    assertTrue(Answers.correct("Final answer: 8.0", "", 8));
    assertTrue(Answers.correct("Final answer: 0.50", "", 0.5));
    assertTrue(Answers.correct("Final answer: 1,200", "", 1200));
    assertTrue(Answers.correct("Final answer: 12 apples", "", 12)); // the last number of a non-number answer
    assertFalse(Answers.correct("Final answer: 9", "", 8));
    assertFalse(Answers.correct("Final answer: 8", "", null));
    assertFalse(Answers.correct("", "Final answer: 8", 8)); // an answer line in unclosed thinking does not count
  }
}
