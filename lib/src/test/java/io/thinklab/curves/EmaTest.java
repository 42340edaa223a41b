package io.thinklab.curves;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EmaTest {

  @Test
  void goldenValuesWithDebiasing() {
    // m1 = 0.5 → /0.5 = 1; m2 = 0.25 + 1 = 1.25 → /0.75; m3 = 0.625 + 1.5 = 2.125 → /0.875
    assertArrayEquals(new double[] {1.0, 1.25 / 0.75, 2.125 / 0.875}, Ema.smooth(new double[] {1, 2, 3}, 0.5),
        1e-12);
    assertEquals(2.428571428571, Ema.smooth(new double[] {1, 2, 3}, 0.5)[2], 1e-9);
  }

  @Test
  void debiasedStartsAtFirstValueAndKeepsConstantsConstant() {
    double[] s = Ema.smooth(new double[] {2.0, 2.0, 2.0, 2.0}, 0.99);
    assertArrayEquals(new double[] {2.0, 2.0, 2.0, 2.0}, s, 1e-12);
  }

  @Test
  void zeroSmoothingIsRawAndNonFiniteValuesPassThrough() {
    assertArrayEquals(new double[] {3, 1, 2}, Ema.smooth(new double[] {3, 1, 2}, 0.0), 0);
    double[] s = Ema.smooth(new double[] {1, Double.NaN, 3}, 0.5);
    assertTrue(Double.isNaN(s[1]));
    assertEquals((0.25 + 1.5) / 0.75, s[2], 1e-12); // the NaN step neither counts nor resets
  }

  @Test
  void smoothingOutsideZeroToOneIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Ema.smooth(new double[] {1}, 1.0));
    assertThrows(IllegalArgumentException.class, () -> Ema.smooth(new double[] {1}, -0.1));
  }
}
