package io.thinklab.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThinkStopTest {
  @Test
  void firesOnASecondCloseOrAnOpenAfterAClose() {
    assertEquals(-1, ThinkStop.cutAt("reasoning... still going"));
    assertEquals(-1, ThinkStop.cutAt("a\n</think>\nThe answer is 4."));
    assertEquals(12, ThinkStop.cutAt("a</think>\nb\n</think>"));
    assertEquals(11, ThinkStop.cutAt("a</think>\nb<think>\nc</think>"));
    assertEquals(-1, ThinkStop.cutAt("<think> before any close is not the rule"));
  }
}
