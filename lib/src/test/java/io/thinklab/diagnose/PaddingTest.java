package io.thinklab.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.data.LengthGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Padding waste is computed on the micro-batches the trainer builds ({@link LengthGroups#of}). */
class PaddingTest {

  private static Diagnosis mixed(int n) {
    Random r = new Random(7);
    List<ExampleLengths> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int full = 50 + r.nextInt(i % 5 == 0 ? 4000 : 600); // a long tail, as the GLM rows have
      rows.add(ExampleLengths.ofTotals("r" + i, full, full - 20));
    }
    return Diagnosis.of(rows, List.of(1024, 4096));
  }

  @Test
  void paddedSlotsAreThoseOfTheTrainersLengthGroupedBatches() {
    Diagnosis d = mixed(1003);
    int cutoff = 1024;
    int[] lengths = d.column(e -> Math.min(e.full(), cutoff));
    long expected = 0;
    double squares = 0;
    for (int[] b : LengthGroups.of(lengths, 4, new Random(Diagnosis.SHUFFLE_SEED))) {
      int max = 0;
      for (int i : b) {
        max = Math.max(max, lengths[i]);
      }
      expected += (long) max * b.length;
      squares += (double) max * max * b.length;
    }
    assertEquals(expected, d.paddedSlots(cutoff, 4));
    assertEquals(squares, d.paddedSquares(cutoff, 4), 1e-6);
    assertEquals(expected, d.withMicroBatch(4).at(cutoff).paddedSlots());
  }

  @Test
  void groupingByLengthWastesFarLessThanRandomBatches() {
    Diagnosis d = mixed(2000);
    long tokens = d.at(4096).tokensPerEpoch();
    double grouped = 1 - (double) tokens / d.paddedSlots(4096, 4);
    double random = 1 - (double) tokens / d.randomPaddedSlots(4096, 4);
    assertTrue(random > 0.3, "random micro-batches of a long-tailed corpus pad a lot: " + random);
    assertTrue(grouped < random / 3, "grouped " + grouped + " vs random " + random);
    assertEquals(tokens, d.paddedSlots(4096, 1), "micro-batch 1 pads nothing");
  }
}
