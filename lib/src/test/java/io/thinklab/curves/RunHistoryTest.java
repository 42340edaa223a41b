package io.thinklab.curves;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunHistoryTest {

  private static Step s(long step, double epoch, double loss, double grad) {
    return new Step(step, epoch, loss, 1e-4, grad, Double.NaN, Double.NaN, Double.NaN);
  }

  private final RunHistory run = RunHistory.of("r", List.of(
      s(1, 0.25, 4, 1), s(2, 0.5, 3, 2), s(3, 0.75, 2, 3), s(4, 1.0, 1, 4),
      s(5, 1.25, 1, 1), s(6, 1.5, 0.5, 1), s(7, 1.75, Double.NaN, 1), s(8, 2.0, 0.3, 1)));

  @Test
  void epochsFollowTheLoggedFractionalEpoch() {
    assertArrayEquals(new int[] {1, 1, 1, 1, 2, 2, 2, 2}, run.epochOfStep());
    assertArrayEquals(new int[] {4}, run.epochStartIndices());
    assertArrayEquals(new double[] {4.5}, run.epochBoundaries(), 0);
  }

  @Test
  void epochMeansSkipNonFiniteLosses() {
    List<EpochMean> m = run.epochMeans();
    assertEquals(2, m.size());
    assertEquals(new EpochMean(1, 1, 4, 4, 2.5), m.get(0));
    assertEquals(2, m.get(1).epoch());
    assertEquals(3, m.get(1).steps());
    assertEquals(0.6, m.get(1).meanLoss(), 1e-12);
  }

  @Test
  void gradNormMean() {
    assertEquals(14.0 / 8, run.gradNormMean(), 1e-12);
  }
}
