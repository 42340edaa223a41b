package io.thinklab.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A training loop that leaks one array per step runs out of memory on a GPU after hours. The rule: the
 * ids are created in a per-step sub-manager, so every activation, gradient read and update temporary
 * lands there and is freed when the step's manager closes; the weights' managers must not grow.
 */
class ManagerHygieneTest {

  static int live(NDManager m) {
    return m.getManagedArrays().size();
  }

  @Test
  void nativeArrayCountIsConstantAcrossSteps() {
    for (DataType dtype : List.of(DataType.FLOAT32, DataType.FLOAT16)) {
      try (LlamaModel model = LlamaModel.random(Tiny.config(), dtype, Device.cpu(), 1);
           LoraAdapter ad = LoraAdapter.init(Tiny.config(), LoraTest.cfg(4, 8, 0.1, LoraTest.ALL, false),
               Device.cpu(), 2)) {
        model.attach(ad);
        NDManager adapterManager = ad.parameters().get(0).getManager();
        List<Float> losses = new ArrayList<>();
        int[] counts = new int[12];
        for (int step = 0; step < counts.length; step++) {
          try (NDManager sm = model.manager().newSubManager()) {
            NDArray ids = Tiny.ids(sm, 2, 10, 42, 61);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray loss = Tiny.loss(model, ids, true);
              gc.backward(loss);
              losses.add(loss.getFloat());
            }
            for (NDArray p : ad.parameters()) { // plain SGD, then zero the gradient for the next step
              NDArray g = p.getGradient();
              g.attach(sm);
              p.subi(g.mul(0.3));
              g.subi(g);
            }
          }
          counts[step] = live(model.manager()) + live(adapterManager);
        }
        for (int step = 1; step < counts.length; step++) {
          assertEquals(counts[0], counts[step], dtype + ": arrays alive after step " + step);
        }
        // the loop really trains: the repeated batch is being memorised
        assertTrue(losses.stream().min(Float::compare).get() < losses.get(0) - 0.1, dtype + " " + losses);
      }
    }
  }
}
