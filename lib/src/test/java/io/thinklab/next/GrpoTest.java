package io.thinklab.next;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.generate.Generation;
import io.thinklab.generate.StopReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpoTest {

  @Test
  void advantagesByHand() {
    // mean 0.5, population std 0.5
    assertArrayEquals(new double[] {1, -1, -1, 1}, Grpo.advantages(new double[] {1, 0, 0, 1}), 1e-12);
    // one right of four: mean 0.25, std sqrt(0.1875) = 0.4330127; (1 − 0.25)/0.4330127 = √3, (0 − 0.25)/… = −1/√3
    double s3 = Math.sqrt(3);
    assertArrayEquals(new double[] {s3, -1 / s3, -1 / s3, -1 / s3}, Grpo.advantages(new double[] {1, 0, 0, 0}),
        1e-12);
    // rewards 1.1 / 0.1 (correct + closed, closed only): the same advantages as 1 / 0, the scale cancels
    assertArrayEquals(new double[] {1, -1}, Grpo.advantages(new double[] {1.1, 0.1}), 1e-12);
  }

  @Test
  void anAllEqualGroupHasZeroAdvantages() {
    assertArrayEquals(new double[] {0, 0, 0, 0}, Grpo.advantages(new double[] {1, 1, 1, 1}), 0.0);
    assertArrayEquals(new double[] {0, 0, 0}, Grpo.advantages(new double[] {0, 0, 0}), 0.0);
    assertArrayEquals(new double[] {0}, Grpo.advantages(new double[] {0.7}), 0.0);
  }

  @Test
  void badGroupsAreRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> Grpo.advantages(new double[0]));
    assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Grpo.advantages(new double[] {1, Double.NaN}));
    assertTrue(e.getMessage().contains("reward 1"), e.getMessage());
  }

  @Test
  void theVerifiableReward() {
    String right = "Step 1: each = 40 / 5 = 8.\n</think>\nThe answer is 8.\nFinal answer: 8";
    Grpo.Reward r = Grpo.reward(right, 8, 0.1);
    assertTrue(r.correct());
    assertTrue(r.closed());
    assertEquals("8", r.answer());
    assertEquals(1.1, r.value(), 1e-12);
    assertEquals(1.0, Grpo.reward(right, 8, 0).value(), 0.0);
    assertEquals(1.0, Grpo.reward(right, 8.0, 0).value(), 0.0); // 8.0 matches 8

    Grpo.Reward wrong = Grpo.reward("Step 1: 40 / 5 = 9.\n</think>\nFinal answer: 9", 8, 0.1);
    assertFalse(wrong.correct());
    assertTrue(wrong.closed());
    assertEquals(0.1, wrong.value(), 1e-12);

    // never closed: the answer line is in the thinking, and only the solution's line counts
    Grpo.Reward open = Grpo.reward("Step 1: 40 / 5 = 8.\nFinal answer: 8", 8, 0.1);
    assertFalse(open.correct());
    assertFalse(open.closed());
    assertNull(open.answer());
    assertEquals(0.0, open.value(), 0.0);

    var e = assertThrows(IllegalArgumentException.class, () -> Grpo.reward(right, null, 0.1));
    assertTrue(e.getMessage().contains("reference"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Grpo.reward(right, 8, -0.1));
    assertTrue(e.getMessage().contains("format bonus"), e.getMessage());
  }

  @Test
  void aGroupOfGenerations() {
    List<Generation> samples = List.of(
        gen(0, "a = 8.\n</think>\nFinal answer: 8"),
        gen(1, "a = 7.\n</think>\nFinal answer: 7"),
        gen(2, "a = 7, a = 7, a = 7"),
        gen(3, "a = 8.\n</think>\nFinal answer: 8.0"));
    Grpo.Group g = Grpo.group("p1", 8, samples, 0.0);
    assertArrayEquals(new double[] {1, 0, 0, 1}, g.values(), 0.0);
    assertArrayEquals(new double[] {1, -1, -1, 1}, g.advantages(), 1e-12);
    assertEquals(2, g.correct());
    assertTrue(g.hasSignal());
    // with a format bonus the closed-but-wrong sample beats the unclosed one
    Grpo.Group withBonus = Grpo.group("p1", 8, samples, 0.5);
    assertArrayEquals(new double[] {1.5, 0.5, 0, 1.5}, withBonus.values(), 1e-12);
    double[] a = withBonus.advantages();
    assertTrue(a[1] > a[2] && a[0] == a[3] && a[0] > a[1], java.util.Arrays.toString(a));
    // every sample wrong: no signal
    assertFalse(Grpo.group("p2", 3, samples, 0.0).hasSignal());
  }

  private static Generation gen(int i, String text) {
    int close = text.indexOf("</think>");
    return new Generation(i, new long[0], text, StopReason.EOS, close < 0 ? -1 : 1);
  }
}
