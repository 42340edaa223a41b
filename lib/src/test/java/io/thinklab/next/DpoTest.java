package io.thinklab.next;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.lora.LoraConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.Tiny;
import org.junit.jupiter.api.Test;

class DpoTest {

  @Test
  void policyEqualToReferenceGivesLnTwoWhateverTheLogProbs() {
    Dpo.LogProbs p = new Dpo.LogProbs(-37.5, -12.25);
    Dpo.Result r = Dpo.result(p, p, 0.1);
    assertEquals(0.0, r.margin(), 0.0);
    assertEquals(Math.log(2), r.loss(), 1e-15);
    assertEquals(0.0, r.chosenReward(), 0.0);
  }

  @Test
  void lossByHand() {
    // policy raised the chosen by 2 nats over the reference and lowered the rejected by 2:
    // margin = 0.5 · ((−10 − −12) − (−20 − −18)) = 0.5 · (2 + 2) = 2; loss = ln(1 + e^−2) = 0.12692801104297
    Dpo.Result r = Dpo.result(new Dpo.LogProbs(-10, -20), new Dpo.LogProbs(-12, -18), 0.5);
    assertEquals(2.0, r.margin(), 1e-12);
    assertEquals(0.12692801104297, r.loss(), 1e-12);
    assertEquals(1.0, r.chosenReward(), 1e-12);   // 0.5 · (−10 − −12)
    assertEquals(-1.0, r.rejectedReward(), 1e-12); // 0.5 · (−20 − −18)
    // the other way round the policy prefers the rejected: margin −2, loss = ln(1 + e^2) = 2.12692801104297
    assertEquals(2.12692801104297, Dpo.loss(new Dpo.LogProbs(-12, -18), new Dpo.LogProbs(-10, -20), 0.5), 1e-12);
  }

  @Test
  void hugeMarginsNeitherOverflowNorLoseTheLinearTail() {
    // margin −1000: loss = 1000 + ln(1 + e^−1000) = 1000 (a naive log(1 + exp(1000)) is infinite)
    assertEquals(1000.0, Dpo.loss(new Dpo.LogProbs(0, 0), new Dpo.LogProbs(0, -1000), 1.0), 1e-9);
    assertEquals(0.0, Dpo.loss(new Dpo.LogProbs(0, -1000), new Dpo.LogProbs(0, 0), 1.0), 1e-300);
  }

  @Test
  void badInputsAreRefusedByName() {
    Dpo.LogProbs p = new Dpo.LogProbs(-1, -2);
    var e = assertThrows(IllegalArgumentException.class, () -> Dpo.loss(p, p, 0));
    assertTrue(e.getMessage().contains("beta"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Dpo.loss(new Dpo.LogProbs(Double.NEGATIVE_INFINITY, -2), p, 0.1));
    assertTrue(e.getMessage().contains("policy"), e.getMessage());
  }

  @Test
  void sequenceLogProbSumsTheCompletionTokensOnly() {
    long[] prompt = {1, 7, 9, 4};
    long[] completion = {12, 30, 2};
    try (LlamaModel m = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 11)) {
      // by hand: log-softmax of the logits in Java; logits at position t predict token t + 1
      long[] ids = {1, 7, 9, 4, 12, 30, 2};
      float[] logits;
      int v = Tiny.config().vocabSize();
      try (NDManager sm = m.manager().newSubManager()) {
        logits = m.forward(sm.create(ids, new Shape(1, ids.length)), null, false).toFloatArray();
      }
      double want = 0;
      for (int t = prompt.length - 1; t < ids.length - 1; t++) { // predicts completion tokens 4, 5, 6
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < v; k++) {
          max = Math.max(max, logits[t * v + k]);
        }
        double z = 0;
        for (int k = 0; k < v; k++) {
          z += Math.exp(logits[t * v + k] - max);
        }
        want += logits[t * v + (int) ids[t + 1]] - max - Math.log(z);
      }
      double got = Dpo.sequenceLogProb(m, prompt, completion);
      assertEquals(want, got, 1e-4);
      assertTrue(got < 0);
      // the prompt's own tokens are not scored: a different first prompt token changes the context, not the count
      assertEquals(3, completion.length);
      Dpo.LogProbs lp = Dpo.logProbs(m, prompt, completion, new long[] {40, 2});
      assertEquals(Math.log(2), Dpo.loss(lp, lp, Dpo.DEFAULT_BETA), 1e-12);
    }
  }

  @Test
  void sequenceLogProbWithATrainableAdapterOnAThreadInGradModeLeavesTheModeAsFound() throws Exception {
    long[] prompt = {1, 7, 9, 4};
    long[] completion = {12, 30, 2};
    try (LlamaModel m = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 11);
         LoraAdapter a = LoraAdapter.init(Tiny.config(), new LoraConfig(4, 8, 0.0, List.of("q_proj", "v_proj"),
             false, "tiny"), Device.cpu(), 3)) {
      m.attach(a); // B = 0: the same scores as the base, but its parameters require gradients
      double here = Dpo.sequenceLogProb(m, prompt, completion);
      AtomicReference<Object> seen = new AtomicReference<>();
      Thread t = new Thread(() -> { // a notebook cell's thread: PyTorch's grad mode is on there
        try {
          JniUtils.setGradMode(true);
          double there = Dpo.sequenceLogProb(m, prompt, completion);
          seen.set(JniUtils.isGradMode() ? there : "grad mode was left off");
        } catch (Throwable e) {
          seen.set(e);
        }
      });
      t.start();
      t.join();
      assertTrue(seen.get() instanceof Double, () -> String.valueOf(seen.get()));
      assertEquals(here, (Double) seen.get(), 1e-6);
    }
  }

  @Test
  void sequenceLogProbRefusesEmptyPartsAndForeignIds() {
    try (LlamaModel m = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 11)) {
      var e = assertThrows(IllegalArgumentException.class, () -> Dpo.sequenceLogProb(m, new long[] {1}, new long[0]));
      assertTrue(e.getMessage().contains("completion"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Dpo.sequenceLogProb(m, new long[] {1}, new long[] {61}));
      assertTrue(e.getMessage().contains("61"), e.getMessage());
    }
  }
}
