package io.thinklab.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.NextTokenLoss;
import io.thinklab.model.Ops;
import io.thinklab.model.Tiny;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No gradient is cut on the training path. Why a test: DJL's {@code toType} and {@code duplicate} run without
 * autograd, so one of them on an activation silently stops the backward pass there; the loss still falls (other
 * parameters still learn), only some gradients are zero or partial. Here the autograd gradients of the training
 * loss ({@link NextTokenLoss#sum} / trained tokens, padding and prompt masked) are checked against central
 * finite differences of that loss, for the LoRA A and B matrices of both layers and the trainable token rows, on
 * the plain backward and on the gradient-checkpointed one. Seen failing (scratch edits, never committed): a
 * {@code duplicate()} after the MLP's RMSNorm fails the fp32 check (q_proj A of layer 0: 0.36 for 0.59), a
 * {@code toType} in place of the cast of the LoRA update fails the fp16 check (gradient 0). A {@code toType} to the
 * array's own dtype does not cut: DJL's JNI then hands back the same tensor.
 *
 * <p>Tolerances: fp32 finite differences with step 1e-2 on a loss of about 4 carry about 1e-4 of rounding noise,
 * so autograd must match within max(2e-3, 2 % of the difference quotient), and each checked entry is the largest
 * of its tensor, well above the noise (asserted). The model has no float64 (it runs in fp32 or fp16); the fp16 base,
 * where every {@code Ops.cast} is a real cast, is checked against the fp32 autograd gradients within 2 % of each
 * tensor's largest entry (fp16 rounding of a base of the same seed), since fp16 finite differences are noise.
 */
class GradientFlowTest {

  static final List<String> CHECKED = List.of(
      "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
      "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight",
      "base_model.model.model.layers.0.mlp.down_proj.lora_A.weight",
      "base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight",
      "base_model.model.model.layers.1.self_attn.o_proj.lora_A.weight",
      "base_model.model.model.layers.1.mlp.gate_proj.lora_B.weight",
      "base_model.model.model.layers.1.mlp.up_proj.lora_A.weight",
      LoraAdapter.TOKEN_ROWS);

  /** A tied tiny model (the token rows reach the loss through the embedding and the head) with a lively base. */
  static LlamaModel model(DataType dtype) {
    // drawn in Java in fp32 and narrowed: the fp16 base is the fp32 one rounded
    LlamaModel model = LlamaModel.random(TrainableTokensTest.tied(), dtype, Device.cpu(), 1);
    for (NDArray w : model.weights().values()) { // gradients well above fp32 noise
      if (!w.getName().endsWith("norm.weight")) {
        w.muli(10);
      }
    }
    return model;
  }

  static LoraAdapter adapter() {
    LoraAdapter ad = LoraAdapter.init(TrainableTokensTest.tied(),
        new LoraConfig(4, 8, 0, LoraTest.ALL, false, "tiny").withTrainableTokens(List.of(4, 5)), Device.cpu(), 3);
    LoraTest.randomizeB(ad, 7); // B = 0 would give A no gradient
    return ad;
  }

  /** Attaches the adapter, then moves its token rows away from the base's (they exist once bound). */
  static void attach(LlamaModel model, LoraAdapter ad) {
    model.attach(ad);
    TrainableTokensTest.moveRows(ad, 9);
  }

  /** A batch with padding (row 1 ends early), the prompt masked, token 4 and 5 present. */
  record Batch(NDArray ids, NDArray mask, NDArray labels, long trained) {
    static Batch of(NDManager m) {
      NDArray ids = Tiny.ids(m, 2, 10, 6, 61);
      ids.set(new NDIndex("0, 4"), 4);
      ids.set(new NDIndex("1, 2"), 5);
      NDArray mask = m.create(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
          new Shape(2, 10));
      NDArray labels = ids.duplicate();
      labels.set(new NDIndex(":, :3"), NextTokenLoss.IGNORE_INDEX);
      labels.set(new NDIndex("1, 7:"), NextTokenLoss.IGNORE_INDEX);
      return new Batch(ids, mask, labels, NextTokenLoss.trainedTokens(labels));
    }
  }

  /** The gradients of loss = sum / trained, by parameter name, from the plain or the checkpointed backward. */
  static Map<String, float[]> autograd(LlamaModel model, LoraAdapter ad, Batch b, boolean checkpointed) {
    try (NDManager sm = model.manager().newSubManager()) {
      NDArray ids = b.ids().duplicate();
      ids.attach(sm);
      if (checkpointed) {
        model.setHeadChunkLogits(2 * 3 * 61); // the head in 4 slices of 3 positions
        model.forwardBackwardCheckpointed(ids, b.mask(), b.labels(), 1.0 / b.trained(), false);
      } else {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray sum = NextTokenLoss.sum(model.forward(ids, b.mask(), false), b.labels());
          gc.backward(Ops.scale(sum, 1.0 / b.trained()));
        }
      }
    }
    return takeGradients(ad);
  }

  /** The checked parameters' gradients, read and then zeroed for the next backward. */
  static Map<String, float[]> takeGradients(LoraAdapter ad) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (String name : CHECKED) {
      NDArray g = ad.tensors().get(name).getGradient();
      out.put(name, g.toFloatArray());
      g.set(new NDIndex("..."), 0);
      g.close();
    }
    return out;
  }

  /** The training loss at the parameters' current values, without autograd. */
  static double loss(LlamaModel model, Batch b) {
    try (NDManager sm = model.manager().newSubManager()) {
      NDArray ids = b.ids().duplicate();
      ids.attach(sm);
      return NextTokenLoss.sum(model.forward(ids, b.mask(), false), b.labels()).getFloat() / b.trained();
    }
  }

  static int largest(float[] g) {
    int i = 0;
    for (int j = 1; j < g.length; j++) {
      i = Math.abs(g[j]) > Math.abs(g[i]) ? j : i;
    }
    return i;
  }

  @Test
  void fp32AutogradMatchesFiniteDifferencesOnBothPaths() {
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter();
         NDManager m = model.manager().newSubManager()) {
      attach(model, ad);
      Batch b = Batch.of(m);
      Map<String, float[]> plain = autograd(model, ad, b, false);
      Map<String, float[]> ckpt = autograd(model, ad, b, true);
      double eps = 1e-2;
      for (String name : CHECKED) {
        NDArray p = ad.tensors().get(name);
        float[] v = p.toFloatArray();
        int i = largest(plain.get(name));
        float[] c = v.clone();
        c[i] = (float) (v[i] + eps);
        p.set(c);
        double up = loss(model, b);
        c[i] = (float) (v[i] - eps);
        p.set(c);
        double down = loss(model, b);
        p.set(v);
        double numeric = (up - down) / (2 * eps);
        double tol = Math.max(2e-3, 0.02 * Math.abs(numeric));
        assertTrue(Math.abs(numeric) > 10 * 2e-3, name + ": difference quotient " + numeric + " is too small to test");
        assertEquals(numeric, plain.get(name)[i], tol, "plain backward, " + name + "[" + i + "]");
        assertEquals(numeric, ckpt.get(name)[i], tol, "checkpointed backward, " + name + "[" + i + "]");
      }
    }
  }

  @Test
  void fp16BaseGradientsMatchTheFp32OnesOnBothPaths() {
    Map<String, float[]> reference;
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter();
         NDManager m = model.manager().newSubManager()) {
      attach(model, ad);
      reference = autograd(model, ad, Batch.of(m), false);
    }
    try (LlamaModel model = model(DataType.FLOAT16); LoraAdapter ad = adapter();
         NDManager m = model.manager().newSubManager()) {
      attach(model, ad);
      Batch b = Batch.of(m);
      for (boolean checkpointed : new boolean[] {false, true}) {
        Map<String, float[]> half = autograd(model, ad, b, checkpointed);
        for (String name : CHECKED) {
          float[] want = reference.get(name);
          double scale = Math.abs(want[largest(want)]);
          assertTrue(scale > 1e-2, name + ": largest fp32 gradient " + scale + " is too small to test");
          assertEquals(0, Tiny.maxDiff(want, half.get(name)) / scale, 0.02,
              (checkpointed ? "checkpointed" : "plain") + " fp16 backward, " + name);
        }
      }
    }
  }
}
