package io.thinklab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Wilson interval against values computed by hand (and by statsmodels' proportion_confint, method wilson). */
class IntervalTest {

  @Test
  void matchesPublishedWilsonValues() {
    // 0 of 100: [0, 0.0370]; 50 of 100: [0.4038, 0.5962]; 9 of 10: [0.5958, 0.9821]
    Interval zero = Interval.wilson(0, 100);
    assertEquals(0.0, zero.low(), 1e-12);
    assertEquals(0.0370, zero.high(), 1e-4);
    Interval half = Interval.wilson(50, 100);
    assertEquals(0.4038, half.low(), 1e-4);
    assertEquals(0.5962, half.high(), 1e-4);
    Interval nine = Interval.wilson(9, 10);
    assertEquals(0.5958, nine.low(), 1e-4);
    assertEquals(0.9821, nine.high(), 1e-4);
    // all successes: the upper end is 1 and the lower end well below it
    Interval all = Interval.wilson(200, 200);
    assertEquals(1.0, all.high(), 1e-12);
    assertEquals(0.9812, all.low(), 1e-4);
  }

  @Test
  void narrowsWithMoreProblemsAndStaysInsideZeroOne() {
    Interval small = Interval.ofShare(0.5, 24);
    Interval large = Interval.ofShare(0.5, 200);
    assertTrue(small.high() - small.low() > large.high() - large.low());
    assertEquals(large, Interval.wilson(100, 200));
    for (int k = 0; k <= 30; k++) {
      Interval i = Interval.wilson(k, 30);
      assertTrue(i.low() >= 0 && i.high() <= 1 && i.low() <= k / 30.0 && k / 30.0 <= i.high(), i.toString());
    }
  }

  @Test
  void disjointIntervalsMeanADifferenceBeyondChance() {
    assertTrue(Interval.wilson(80, 100).disjointFrom(Interval.wilson(10, 100)));
    assertFalse(Interval.wilson(55, 100).disjointFrom(Interval.wilson(45, 100)));
    assertEquals("[40.4 %, 59.6 %]", Interval.wilson(50, 100).toString());
  }

  @Test
  void refusesImpossibleCounts() {
    assertThrows(IllegalArgumentException.class, () -> Interval.wilson(3, 2));
    assertThrows(IllegalArgumentException.class, () -> Interval.wilson(0, 0));
  }
}
