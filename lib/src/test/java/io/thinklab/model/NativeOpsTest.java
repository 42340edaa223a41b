package io.thinklab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The native extension ({@link NativeOps}) against the pure-DJL code it replaces, called through the model's own
 * methods with the extension on and off: each op's output and the gradients with respect to each of its inputs
 * (activations and weights alike, as LoRA training needs them: a random weighting of the output back-propagated),
 * then a whole tiny model's logits and the gradients of every weight, and cached decoding. fp32 throughout.
 *
 * <p>Tolerance, per array: max |native − DJL| ≤ 1e-5 × max |DJL|, for one op and for the whole model alike (the same
 * fp32 arithmetic, summed in another order by the fused kernels; seen here: 2e-7 for one op, 1.3e-6 for the model's
 * gradients; the casts and the rotary embedding are bit for bit, asserted with tolerance 0).
 *
 * <p>Skipped when the library is not built ({@code environment/lab native} builds it); with
 * {@code THINKLAB_NATIVE_REQUIRED=1} (as {@code environment/lab test} runs it) a missing library fails instead.
 */
@ExtendWith(NativeSwitch.class)
public class NativeOpsTest {

  static final double OP_TOLERANCE = 1e-5;
  static final double MODEL_TOLERANCE = 1e-5;

  /** Skips the calling test when the library cannot be loaded, or fails it when THINKLAB_NATIVE_REQUIRED=1. */
  public static void requireLibrary() {
    NativeOps.Status s = NativeOps.status();
    if (s.available()) {
      return;
    }
    if ("1".equals(System.getenv("THINKLAB_NATIVE_REQUIRED"))) {
      fail("THINKLAB_NATIVE_REQUIRED=1 but the native extension is not available: " + s.message());
    }
    Assumptions.abort("native extension not available: " + s.message());
  }

  @Test
  void tf32IsSwitchedAndReported() {
    boolean before = NativeOps.allowTf32(true);
    try {
      assertTrue(NativeOps.allowTf32(false), "on, as just set");
      assertTrue(!NativeOps.allowTf32(false), "off, as just set");
    } finally {
      NativeOps.allowTf32(before);
    }
  }

  /** Normal(0, 1) values from a seed, in engine-owned memory. */
  static NDArray randn(NDManager m, long seed, long... shape) {
    Random r = new Random(seed);
    float[] v = new float[(int) new Shape(shape).size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Ops.owned(m, v, new Shape(shape));
  }

  /**
   * {@code op}'s output, then the gradients of {@code Σ op(inputs) · w} (w a fixed random weighting) with respect to
   * each input, all read as fp32, with the extension on or off.
   */
  static List<float[]> run(boolean on, Function<NDArray[], NDArray> op, NDArray... inputs) {
    NativeOps.setEnabled(on);
    try (NDManager sm = inputs[0].getManager().newSubManager()) {
      NDArray[] leaves = new NDArray[inputs.length];
      for (int i = 0; i < inputs.length; i++) {
        leaves[i] = inputs[i].duplicate();
        leaves[i].attach(sm);
        leaves[i].setRequiresGradient(true);
      }
      List<float[]> out = new ArrayList<>();
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = op.apply(leaves);
        out.add(y.toType(DataType.FLOAT32, false).toFloatArray());
        NDArray w = randn(sm, 99, y.getShape().getShape());
        gc.backward(Ops.cast(y, DataType.FLOAT32).mul(w).sum());
      }
      for (NDArray leaf : leaves) {
        out.add(leaf.getGradient().toType(DataType.FLOAT32, false).toFloatArray());
      }
      return out;
    } finally {
      NativeOps.setEnabled(false);
    }
  }

  /** The op with the extension on against off: output and every input's gradient within {@code tol} of the max. */
  static void assertSame(String what, double tol, Function<NDArray[], NDArray> op, NDArray... inputs) {
    List<float[]> want = run(false, op, inputs);
    List<float[]> got = run(true, op, inputs);
    for (int i = 0; i < want.size(); i++) {
      String name = what + (i == 0 ? " output" : " gradient of input " + (i - 1));
      double scale = Tiny.maxDiff(want.get(i), new float[want.get(i).length]);
      assertTrue(scale > 1e-3, name + ": the reference is ~0 (" + scale + "), nothing would be tested");
      double diff = Tiny.maxDiff(want.get(i), got.get(i));
      assertTrue(diff <= tol * scale, name + ": max |native − DJL| = " + diff + " = " + (diff / scale)
          + " × max |DJL|, above " + tol);
    }
  }

  @Test
  void swigluMatchesSiluTimesUp() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      assertSame("swiglu", OP_TOLERANCE, a -> Ops.swiglu(a[0], a[1]), randn(m, 1, 2, 5, 48),
          randn(m, 2, 2, 5, 48));
    }
  }

  @Test
  void rmsNormMatchesTheModelsIncludingTheWeightGradient() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1);
         NDManager m = model.manager().newSubManager()) {
      NDArray x = randn(m, 3, 2, 5, 32).mul(3);
      NDArray w = randn(m, 4, 32).mul(0.1).add(1);
      assertSame("rmsNorm", OP_TOLERANCE, a -> model.rmsNorm(a[0], a[1]), x, w);
    }
  }

  @Test
  void rotaryMatchesRotateHalfForwardAndDecoding() {
    LlamaConfig c = Tiny.config();
    float[] inv = Rope.inverseFrequencies(c);
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray[] cs = Rope.cosSin(m, inv, 6, c, DataType.FLOAT32);                           // 2 × (T, hd)
      assertSame("rotary", 0, a -> Rope.apply(a[0], cs[0], cs[1]), randn(m, 5, 2, 4, 6, 8));
      NDArray positions = m.create(new long[] {0, 0, 1, 2, 3, 4, 5, 6}, new Shape(2, 4));   // left padding
      NDArray[] at = Rope.cosSinAt(positions, inv, DataType.FLOAT32);                       // 2 × (B, 1, T, hd)
      assertSame("rotary at positions", 0, a -> Rope.apply(a[0], at[0], at[1]), randn(m, 6, 2, 2, 4, 8));
    }
  }

  @Test
  void castIsExactAndKeepsTheGradient() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray x = randn(m, 7, 3, 40);
      assertSame("cast to fp16", 0, a -> Ops.cast(a[0], DataType.FLOAT16), x);
      assertSame("cast to fp32", 0, a -> Ops.cast(a[0], DataType.FLOAT32),
          x.toType(DataType.FLOAT16, false));
      assertSame("cast to fp64 and back", 0, a -> Ops.cast(Ops.cast(a[0], DataType.FLOAT64), DataType.FLOAT32), x);
      NativeOps.setEnabled(true);
      assertThrows(IllegalArgumentException.class, () -> NativeOps.cast(x, DataType.INT32));
    }
  }

  @Test
  void aLibtorchErrorComesBackAsAnEngineException() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray q = randn(m, 1, 1, 3, 4, 8); // 3 query heads cannot share 2 kv heads
      NDArray kv = randn(m, 2, 1, 2, 4, 8);
      NDArray causal = AttentionMask.additive(m, 0, 4, null);
      ai.djl.engine.EngineException e = assertThrows(ai.djl.engine.EngineException.class,
          () -> NativeOps.attention(q, kv, kv, causal));
      assertTrue(e.getMessage().contains("3 query heads do not share 2 kv heads"), e.getMessage());
    }
  }

  @Test
  void attentionMatchesTheEagerOneCausalPaddedAndCached() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1);
         NDManager m = model.manager().newSubManager()) {
      // 4 query heads over 2 kv heads (GQA), hd 8
      NDArray q = randn(m, 8, 2, 4, 6, 8);
      NDArray k = randn(m, 9, 2, 2, 6, 8);
      NDArray v = randn(m, 10, 2, 2, 6, 8);
      NDArray causal = AttentionMask.additive(m, 0, 6, null);
      assertSame("causal attention", OP_TOLERANCE, a -> Attention.sdpa(a[0], a[1], a[2], causal), q, k, v);
      assertEquals("flash_attention", NativeOps.attentionKernel(q, k, v, causal),
          "PyTorch's fused CPU kernel runs the causal fp32 attention");

      // row 0 left-padded by 2, row 1 right-padded by 1
      NDArray keyMask = m.create(new long[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, new Shape(2, 6));
      NDArray padded = AttentionMask.additive(m, 0, 6, keyMask);
      // Row 0's first two queries see no key at all: both give the plain mean of the values, but their gradients
      // differ (DJL's is an artefact: −FLT_MAX swallows the scores, the softmax still back-propagates into them).
      // No loss reads those rows (padding is ignored), so they are compared forward only.
      float[] eager = Attention.sdpa(q, k, v, padded).toFloatArray();
      NativeOps.setEnabled(true);
      float[] fused = Attention.sdpa(q, k, v, padded).toFloatArray();
      NativeOps.setEnabled(false);
      assertTrue(Tiny.maxDiff(eager, fused) <= OP_TOLERANCE * Tiny.maxDiff(eager, new float[eager.length]),
          "padded attention, forward: " + Tiny.maxDiff(eager, fused));
      NDArray seen = m.create(new float[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 1, 6, 1));
      assertSame("padded attention", OP_TOLERANCE, a -> Attention.sdpa(a[0], a[1], a[2], padded).mul(seen), q, k, v);

      // decoding: 2 new queries after 4 cached positions
      NDArray cached = AttentionMask.additive(m, 4, 2, keyMask);
      NDArray q2 = randn(m, 11, 2, 4, 2, 8);
      assertSame("cached attention", OP_TOLERANCE, a -> Attention.sdpa(a[0], a[1], a[2], cached), q2, k, v);
    }
  }

  @Test
  void fusedHeadLossMatchesTheHeadThenTheLossInChunks() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1);
         NDManager m = model.manager().newSubManager()) {
      model.setBaseTrainable(true);       // the head's own gradient too (pre-training; LoRA leaves it frozen)
      model.setHeadChunkLogits(3 * 61);   // 3 rows of logits at a time: the 12 rows in 4 chunks
      NDArray head = model.weights().get("lm_head.weight");
      NDArray hidden = randn(m, 12, 2, 6, 32);
      NDArray targets = Tiny.ids(m, 2, 6, 13, 61);
      targets.set(new ai.djl.ndarray.index.NDIndex("0, :2"), NextTokenLoss.IGNORE_INDEX);  // a prompt
      targets.set(new ai.djl.ndarray.index.NDIndex("1, 5"), NextTokenLoss.IGNORE_INDEX);   // the last position
      List<List<float[]>> sides = new ArrayList<>();
      for (boolean on : new boolean[] {false, true}) {
        NativeOps.setEnabled(on);
        try (NDManager sm = m.newSubManager()) {
          NDArray h = hidden.duplicate();
          h.attach(sm);
          h.setRequiresGradient(true);
          List<float[]> out = new ArrayList<>();
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray sum = model.headLossSum(h, targets);
            out.add(new float[] {sum.getFloat()});
            gc.backward(Ops.scale(sum, 0.37));
          }
          out.add(h.getGradient().toFloatArray());
          NDArray g = head.getGradient();
          out.add(g.toFloatArray());
          g.set(new ai.djl.ndarray.index.NDIndex("..."), 0);
          g.close();
          sides.add(out);
        } finally {
          NativeOps.setEnabled(false);
        }
      }
      String[] names = {"loss", "hidden's gradient", "head's gradient"};
      for (int i = 0; i < names.length; i++) {
        float[] want = sides.get(0).get(i);
        double scale = Tiny.maxDiff(want, new float[want.length]);
        double diff = Tiny.maxDiff(want, sides.get(1).get(i));
        assertTrue(scale > 1e-3 && diff <= OP_TOLERANCE * scale, "fused head loss, " + names[i] + ": max |native − DJL| = "
            + diff / scale + " × max |DJL|");
      }
    }
  }

  /** Logits, then the gradient of the loss for every weight, by the model's weight order. */
  static List<float[]> logitsAndGradients(LlamaModel model, boolean on, NDArray ids, NDArray keyMask,
                                          NDArray labels) {
    NativeOps.setEnabled(on);
    try (NDManager sm = model.manager().newSubManager()) {
      NDArray x = ids.duplicate();
      x.attach(sm);
      List<float[]> out = new ArrayList<>();
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logits = model.forward(x, keyMask, false);
        out.add(logits.toFloatArray());
        gc.backward(NextTokenLoss.sum(logits, labels));
      }
      for (NDArray w : model.weights().values()) {
        NDArray g = w.getGradient();
        out.add(g.toFloatArray());
        g.set(new ai.djl.ndarray.index.NDIndex("..."), 0);
        g.close();
      }
      return out;
    } finally {
      NativeOps.setEnabled(false);
    }
  }

  @Test
  void wholeModelForwardAndBackwardAgreeOnAndOff() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1);
         NDManager m = model.manager().newSubManager()) {
      for (NDArray w : model.weights().values()) { // a livelier base than N(0, 0.02²): gradients well above noise
        if (!w.getName().endsWith("norm.weight")) {
          w.muli(10);
        }
      }
      model.setBaseTrainable(true);
      NDArray ids = Tiny.ids(m, 2, 12, 5, 61);
      NDArray keyMask = m.create(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
          new Shape(2, 12));
      NDArray labels = ids.duplicate();
      labels.set(new ai.djl.ndarray.index.NDIndex("1, :3"), NextTokenLoss.IGNORE_INDEX); // padded rows untrained
      for (NDArray mask : new NDArray[] {null, keyMask}) {
        List<float[]> want = logitsAndGradients(model, false, ids, mask, labels);
        List<float[]> got = logitsAndGradients(model, true, ids, mask, labels);
        List<String> names = new ArrayList<>(List.of("logits"));
        names.addAll(model.weights().keySet());
        for (int i = 0; i < want.size(); i++) {
          double scale = Tiny.maxDiff(want.get(i), new float[want.get(i).length]);
          double diff = Tiny.maxDiff(want.get(i), got.get(i));
          assertTrue(scale > 0, names.get(i) + ": no gradient");
          assertTrue(diff <= MODEL_TOLERANCE * scale, (mask == null ? "" : "padded: ") + names.get(i)
              + ": max |native − DJL| = " + diff / scale + " × max |DJL|");
        }
      }
    }
  }

  @Test
  void cachedDecodingAgreesOnAndOff() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1)) {
      float[][] logits = new float[2][];
      for (int on = 0; on < 2; on++) {
        NativeOps.setEnabled(on == 1);
        try (KvCache cache = KvCache.create(model); NDManager sm = model.manager().newSubManager()) {
          NDArray prompt = Tiny.ids(sm, 2, 5, 8, 61);
          NDArray positions = sm.create(new long[] {0, 1, 2, 3, 4, 0, 0, 0, 1, 2}, new Shape(2, 5));
          NDArray keyMask = sm.create(new long[] {1, 1, 1, 1, 1, 0, 0, 1, 1, 1}, new Shape(2, 5));
          model.forwardCached(prompt, positions, keyMask, cache);
          NDArray next = sm.create(new long[] {7, 9}, new Shape(2, 1));
          NDArray nextMask = sm.create(new long[] {1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1}, new Shape(2, 6));
          NDArray nextPos = sm.create(new long[] {5, 3}, new Shape(2, 1));
          logits[on] = model.forwardCached(next, nextPos, nextMask, cache).toFloatArray();
        } finally {
          NativeOps.setEnabled(false);
        }
      }
      double scale = Tiny.maxDiff(logits[0], new float[logits[0].length]);
      assertEquals(0, Tiny.maxDiff(logits[0], logits[1]) / scale, MODEL_TOLERANCE, "decoded logits");
    }
  }
}
