package io.thinklab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LengthStatsTest {
  @Test
  void nearestRankOnNMinusOne() {
    int[] v = new int[101];
    for (int i = 0; i <= 100; i++) {
      v[i] = 100 - i; // unsorted on purpose
    }
    LengthStats s = LengthStats.of(v);
    assertEquals(new LengthStats(101, 0, 50.0, 50, 95, 100), s);
    assertEquals(new LengthStats(0, 0, 0, 0, 0, 0), LengthStats.of(new int[0]));
    assertEquals(3, LengthStats.of(new int[] {1, 3}).p50(), "round((2-1)*0.5) = round(0.5) = 1");
  }
}
