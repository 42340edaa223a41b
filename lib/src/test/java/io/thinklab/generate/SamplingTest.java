package io.thinklab.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplingTest {
  private static final float[] LOGITS = {0.1f, 2.0f, -1f, 1.5f, (float) Math.log(3) + 2.0f};

  @Test
  void greedyTopKOneAndTinyTopPAllTakeTheArgMax() {
    Random r = new Random(1);
    assertEquals(4, Sampling.greedy().pick(LOGITS, r));
    for (int i = 0; i < 50; i++) {
      assertEquals(4, Sampling.of(2.0, 1, 1.0, 0).pick(LOGITS, r));
      assertEquals(4, Sampling.of(2.0, 0, 1e-6, 0).pick(LOGITS, r));
    }
  }

  @Test
  void temperatureOneDrawsTheSoftmax() {
    float[] two = {0f, (float) Math.log(3)}; // p = 0.25, 0.75
    Random r = new Random(5);
    int ones = 0;
    for (int i = 0; i < 8000; i++) {
      ones += Sampling.of(1.0, 0, 1.0, 0).pick(two, r);
    }
    assertEquals(0.75, ones / 8000.0, 0.02);
  }

  @Test
  void topKAndTopPKeepOnlyTheMostLikely() {
    Random r = new Random(2);
    for (int i = 0; i < 300; i++) {
      int k2 = Sampling.of(1.0, 2, 1.0, 0).pick(LOGITS, r);
      assertEquals(true, k2 == 4 || k2 == 1, "top-2 drew " + k2);
      // p(4) ≈ 0.60, p(1) ≈ 0.20: top-p 0.7 keeps exactly those two
      int p = Sampling.of(1.0, 0, 0.7, 0).pick(LOGITS, r);
      assertEquals(true, p == 4 || p == 1, "top-p drew " + p);
    }
  }
}
