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
import io.thinklab.model.NextTokenLoss;
import io.thinklab.model.Tiny;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradient checkpointing changes memory, not gradients: plain and checkpointed backward agree. */
class CheckpointingTest {

  static List<float[]> gradsAndZero(List<NDArray> params) {
    List<float[]> out = new ArrayList<>();
    for (NDArray p : params) {
      NDArray g = p.getGradient();
      out.add(g.toFloatArray());
      g.set(new ai.djl.ndarray.index.NDIndex("..."), 0);
      g.close();
    }
    return out;
  }

  static void assertClose(List<float[]> a, List<float[]> b, String what) {
    for (int k = 0; k < a.size(); k++) {
      double scale = 1e-12;
      for (float x : a.get(k)) {
        scale = Math.max(scale, Math.abs(x));
      }
      assertEquals(0, Tiny.maxDiff(a.get(k), b.get(k)) / scale, 1e-5, what + " parameter " + k);
    }
  }

  @Test
  void loraGradientsMatchThePlainBackwardDropoutIncluded() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1);
         LoraAdapter ad = LoraAdapter.init(Tiny.config(), LoraTest.cfg(4, 8, 0.2, LoraTest.ALL, false),
             Device.cpu(), 3);
         NDManager sm = model.manager().newSubManager()) {
      LoraTest.randomizeB(ad, 4);
      model.attach(ad);
      model.setDropoutSeed(17);
      NDArray ids = Tiny.ids(sm, 2, 10, 6, 61);
      NDArray mask = sm.create(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
          new ai.djl.ndarray.types.Shape(2, 10));
      NDArray labels = ids.duplicate();
      labels.set(new ai.djl.ndarray.index.NDIndex(":, :3"), NextTokenLoss.IGNORE_INDEX);
      labels.set(new ai.djl.ndarray.index.NDIndex("1, 7:"), NextTokenLoss.IGNORE_INDEX);
      double plain;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray sum = LlamaModel.lossSum(model.forward(ids, mask, true), labels);
        plain = sum.getFloat();
        gc.backward(io.thinklab.model.Ops.scale(sum, 0.1));
      }
      List<float[]> a = gradsAndZero(ad.parameters());
      model.setHeadChunkLogits(2 * 3 * 61); // slices of 3 positions: the head runs in 4 pieces
      double ckpt = model.forwardBackwardCheckpointed(ids, mask, labels, 0.1, true);
      List<float[]> b = gradsAndZero(ad.parameters());
      assertEquals(plain, ckpt, 1e-6 * Math.abs(plain));
      assertClose(a, b, "lora");
      assertTrue(a.get(0)[0] != 0);
    }
  }

  @Test
  void fullTrainingGradientsMatchIncludingTheEmbedding() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 2);
         NDManager sm = model.manager().newSubManager()) {
      model.setBaseTrainable(true);
      NDArray ids = Tiny.ids(sm, 2, 9, 7, 61);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(LlamaModel.lossSum(model.forward(ids, null, true), ids));
      }
      List<NDArray> params = new ArrayList<>(model.weights().values());
      List<float[]> a = gradsAndZero(params);
      model.forwardBackwardCheckpointed(ids, null, ids, 1.0, true);
      assertClose(a, gradsAndZero(params), "base");
    }
  }
}
