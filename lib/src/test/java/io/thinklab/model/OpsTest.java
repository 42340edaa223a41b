package io.thinklab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class OpsTest {

  /**
   * d/dx Σ f(x) after the garbage collector has run between forward and backward and the freed native memory
   * has been handed out again, filled with 7s.
   */
  static float[] gradAfterGc(BiFunction<NDArray, Double, NDArray> times, double c) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Ops.owned(m, new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(4));
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = times.apply(x, c).sum();
        for (int k = 0; k < 3; k++) {
          System.gc();
          List<ByteBuffer> reuse = new ArrayList<>();
          for (int i = 0; i < 2000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            b.putFloat(0, 7f);
            reuse.add(b);
          }
        }
        gc.backward(y);
      }
      return x.getGradient().toFloatArray();
    }
  }

  @Test
  void scaleKeepsItsConstantAliveForTheBackwardPass() {
    // DJL's x.mul(3.0) wraps 3.0 over a Java buffer and closes it; autograd's saved copy then reads freed memory
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(new float[] {3, 3, 3, 3}, gradAfterGc(Ops::scale, 3.0));
    }
  }

  @Test
  void rsqrtMatchesItsDefinitionAndGradient() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Ops.owned(m, new float[] {0.25f, 4f}, new ai.djl.ndarray.types.Shape(2));
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = Ops.rsqrt(x);
        assertArrayEquals(new float[] {2f, 0.5f}, y.toFloatArray(), 1e-6f);
        gc.backward(y.sum());
      }
      // d/dx x^(-1/2) = -1/2 x^(-3/2)
      assertArrayEquals(new float[] {-4f, -1f / 16}, x.getGradient().toFloatArray(), 1e-5f);
      assertEquals(DataType.FLOAT16, Ops.constant(x.toType(DataType.FLOAT16, false), 2).getDataType());
    }
  }

  /** Random fp32 values with a wide spread of magnitudes, so a rounding difference would show. */
  static NDArray spread(NDManager m, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] v = new float[4096];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
    }
    return Ops.owned(m, v, new ai.djl.ndarray.types.Shape(v.length));
  }

  @Test
  void sharedConstantsGiveDjlsNumberOpsBitForBitAndAreMadeOnce() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = spread(m, 1);
      for (double c : new double[] {0.125, 1.0 / Math.sqrt(48), 1e-5, 2.0 / 3, 1e-6, 0.1}) {
        // DJL's x.mul(double) multiplies by a float64 0-d tensor; Ops.scale by an fp32 one: the same product
        assertArrayEquals(x.mul(c).toFloatArray(), Ops.scale(x, c).toFloatArray(), "scale " + c);
        assertArrayEquals(x.add(c).toFloatArray(), Ops.plus(x, c).toFloatArray(), "plus " + c);
        assertEquals(DataType.FLOAT32, Ops.plus(x, c).getDataType());
      }
      NDArray y = spread(m, 2);
      assertEquals(Ops.shared(x, 0.125, DataType.FLOAT32), Ops.shared(y, 0.125, DataType.FLOAT32),
          "one tensor per (device, dtype, value)");
      assertEquals(DataType.FLOAT64, Ops.constant(m, DataType.FLOAT64, 0.1).getDataType());
      assertEquals(0.1, Ops.constant(m, DataType.FLOAT64, 0.1).getDouble(), 0.0, "float64 keeps the double");
    }
  }
}
