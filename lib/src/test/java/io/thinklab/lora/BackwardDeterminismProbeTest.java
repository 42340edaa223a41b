package io.thinklab.lora;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.Tiny;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A diagnostic kept for the record (skipped unless {@code -Dthinklab.probe=true}): 40 identical forward +
 * backward passes, each gradient compared bit for bit with the first. It found the bug {@code Ops.scale} fixes:
 * DJL's {@code NDArray.mul(Number)} wraps the number over a Java buffer and closes it at once, autograd keeps
 * that tensor for the backward, and after a garbage collection the backward read freed memory, so about one
 * pass in 40 lost the gradients of every layer before the product (zeros or NaN) while the loss was right.
 * {@code OpsTest} now pins the mechanism. Run:
 * {@code mvn -o -pl lib test -Dtest=BackwardDeterminismProbeTest -Dthinklab.probe=true} (expect 0 of 39).
 */
class BackwardDeterminismProbeTest {

  @Test
  void identicalBackwardPassesGiveIdenticalGradients() {
    assumeTrue(Boolean.getBoolean("thinklab.probe"), "diagnostic: run with -Dthinklab.probe=true");
    for (double dropout : new double[] {0.0, 0.2}) {
      try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1);
           LoraAdapter ad = LoraAdapter.init(Tiny.config(), LoraTest.cfg(4, 8, dropout, LoraTest.ALL, false),
               Device.cpu(), 3);
           NDManager sm = model.manager().newSubManager()) {
        LoraTest.randomizeB(ad, 4);
        model.attach(ad);
        model.setDropoutSeed(17);
        NDArray ids = Tiny.ids(sm, 2, 10, 6, 61);
        List<float[]> first = null;
        int differing = 0;
        for (int rep = 0; rep < 40; rep++) {
          double loss;
          try (NDManager step = sm.newSubManager()) {
            NDArray stepIds = ids.duplicate();
            stepIds.attach(step);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              if (!ai.djl.pytorch.jni.JniUtils.isGradMode()) {
                System.out.println("  grad mode OFF right after opening the collector, pass " + rep);
              }
              NDArray sum = LlamaModel.lossSum(model.forward(stepIds, null, true), stepIds);
              loss = sum.getFloat();
              if (!ai.djl.pytorch.jni.JniUtils.isGradMode()) {
                System.out.println("  grad mode OFF after the forward, pass " + rep);
              }
              if (!sum.hasGradient() && ai.djl.pytorch.jni.JniUtils.getGradientFunctionNames((ai.djl.pytorch.engine.PtNDArray) sum).isEmpty()) {
                System.out.println("  loss has no grad_fn, pass " + rep);
              }
              gc.backward(sum);
            }
          }
          List<float[]> g = CheckpointingTest.gradsAndZero(ad.parameters());
          if (first == null) {
            first = g;
          } else if (!same(first, g)) {
            differing++;
            double d = 0;
            for (int k = 0; k < g.size(); k++) {
              d = Math.max(d, Tiny.maxDiff(first.get(k), g.get(k)));
            }
            System.out.println("dropout " + dropout + ": pass " + rep + " differs by up to " + d + " (loss " + loss + ")");
            for (int k = 0; k < g.size(); k++) {
              if (!java.util.Arrays.equals(first.get(k), g.get(k))) {
                float[] f = first.get(k);
                float[] h = g.get(k);
                int at = 0;
                for (int i = 0; i < f.length; i++) {
                  at = Math.abs(h[i] - f[i]) > Math.abs(h[at] - f[at]) ? i : at;
                }
                System.out.println("  " + ad.parameters().get(k).getName() + " first " + f[at] + " now " + h[at]);
              }
            }
          }
        }
        System.out.println("dropout " + dropout + ": " + differing + " of 39 passes differ from the first");
      }
    }
  }

  static boolean same(List<float[]> a, List<float[]> b) {
    for (int k = 0; k < a.size(); k++) {
      if (!java.util.Arrays.equals(a.get(k), b.get(k))) {
        return false;
      }
    }
    return true;
  }
}
