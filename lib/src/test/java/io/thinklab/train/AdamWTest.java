package io.thinklab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.thinklab.model.Ops;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link AdamW} with its scalars made once per step updates exactly as the per-operation form
 * {@code p.mul(double)}, {@code vi.div(double)}, {@code add(EPS)} (DJL wrapping each number in a float64 tensor per
 * call) did: a training run's numbers must not move when host scalars are removed.
 */
class AdamWTest {

  static float[] random(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(5) - 3));
    }
    return v;
  }

  /** The update written with DJL's {@code Number} overloads, one host scalar per operation. */
  static void reference(NDArray p, NDArray g, NDArray m, NDArray v, long t, double lr, double wd) {
    double c1 = 1 - Math.pow(AdamW.BETA1, t);
    double c2 = 1 - Math.pow(AdamW.BETA2, t);
    p.subi(p.mul(lr * wd));
    m.muli(AdamW.BETA1).addi(g.mul(1 - AdamW.BETA1));
    v.muli(AdamW.BETA2).addi(g.square().mul(1 - AdamW.BETA2));
    p.subi(m.mul(lr / c1).div(v.div(c2).sqrt().add(AdamW.EPS)));
  }

  @Test
  void perStepScalarsGiveTheSameBitsAsPerOperationNumbers() {
    Random r = new Random(5);
    try (NDManager base = NDManager.newBaseManager()) {
      float[] start = random(r, 2048);
      NDArray p = Ops.owned(base, start, new Shape(2048));
      p.setRequiresGradient(true);
      NDArray q = Ops.owned(base, start, new Shape(2048));
      NDArray m = base.zeros(new Shape(2048), DataType.FLOAT32);
      NDArray v = base.zeros(new Shape(2048), DataType.FLOAT32);
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("p", p);
      try (AdamW adam = new AdamW(params)) {
        for (int t = 1; t <= 4; t++) {
          float[] grad = random(r, 2048);
          double lr = 1e-3 * t;
          try (NDManager scratch = base.newSubManager()) {
            NDArray g = Ops.owned(scratch, grad, new Shape(2048));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              gc.backward(p.mul(g).sum()); // d/dp Σ p·g = g exactly
            }
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false); // in-place updates of a leaf, as Trainer runs them
            try {
              adam.step(lr, 0.01, scratch);
              reference(q, g, m, v, t, lr, 0.01);
              p.getGradient().set(new NDIndex("..."), 0);
            } finally {
              JniUtils.setGradMode(gradMode);
            }
          }
          assertArrayEquals(q.toFloatArray(), p.toFloatArray(), "step " + t);
        }
      }
    }
  }
}
