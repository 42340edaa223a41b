package io.thinklab.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.thinklab.model.Autograd;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.NativeOps;
import io.thinklab.model.NativeOpsTest;
import io.thinklab.model.NativeSwitch;
import io.thinklab.model.Tiny;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * LoRA training through the native extension: the adapter's gradients (and the trainable token rows') with the
 * extension on equal those with it off, on a padded batch with the prompt masked, on the plain and on the
 * gradient-checkpointed backward ({@link GradientFlowTest}'s model, adapter and batch). fp32 within 1e-5 of each
 * tensor's largest gradient; the fp16 base (every cast a real one) within 2 % (fp16 rounding: the eager attention
 * rounds its scores to fp16, the fused kernel keeps them in fp32). Skipped or failed as {@link NativeOpsTest} says.
 */
@ExtendWith(NativeSwitch.class)
class NativeLoraTest {


  static void assertClose(Map<String, float[]> want, Map<String, float[]> got, double tol, String what) {
    for (String name : want.keySet()) {
      double scale = Tiny.maxDiff(want.get(name), new float[want.get(name).length]);
      double diff = Tiny.maxDiff(want.get(name), got.get(name));
      assertTrue(scale > 1e-3, what + ", " + name + ": gradient ~0, nothing tested");
      assertTrue(diff <= tol * scale, what + ", " + name + ": max |native − DJL| = " + diff / scale + " × max |DJL|");
    }
  }

  /**
   * The trainer's plain-path loss ({@link LlamaModel#lossSum(NDArray, NDArray, NDArray, boolean)}): with the
   * extension the LM head is fused with the loss; the loss and the adapter's gradients equal DJL's logits + loss.
   */
  @Test
  void theTrainersLossFusesTheHeadAndAgreesWithDjlsCode() {
    try (LlamaModel model = GradientFlowTest.model(DataType.FLOAT32); LoraAdapter ad = GradientFlowTest.adapter();
         NDManager m = model.manager().newSubManager()) {
      GradientFlowTest.attach(model, ad);
      GradientFlowTest.Batch b = GradientFlowTest.Batch.of(m);
      double[] loss = new double[2];
      List<Map<String, float[]>> grads = new ArrayList<>();
      for (int on = 0; on < 2; on++) {
        NativeOps.setEnabled(on == 1);
        try (NDManager sm = model.manager().newSubManager(); Autograd.Recording r = Autograd.record()) {
          NDArray ids = b.ids().duplicate();
          ids.attach(sm);
          NDArray sum = model.lossSum(ids, b.mask(), b.labels(), false);
          loss[on] = sum.getFloat();
          r.backward(sum);
        }
        grads.add(GradientFlowTest.takeGradients(ad));
      }
      NativeOps.setEnabled(false);
      assertEquals(loss[0], loss[1], 1e-5 * Math.abs(loss[0]), "loss");
      assertClose(grads.get(0), grads.get(1), 1e-5, "lossSum, fused head");
    }
  }

  @Test
  void loraGradientsAgreeOnAndOffOnBothBackwardPaths() {
    for (DataType dtype : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
      try (LlamaModel model = GradientFlowTest.model(dtype); LoraAdapter ad = GradientFlowTest.adapter();
           NDManager m = model.manager().newSubManager()) {
        GradientFlowTest.attach(model, ad);
        GradientFlowTest.Batch b = GradientFlowTest.Batch.of(m);
        double tol = dtype == DataType.FLOAT32 ? 1e-5 : 0.02;
        for (boolean checkpointed : new boolean[] {false, true}) {
          Map<String, float[]> off = GradientFlowTest.autograd(model, ad, b, checkpointed);
          NativeOps.setEnabled(true);
          Map<String, float[]> on = GradientFlowTest.autograd(model, ad, b, checkpointed);
          NativeOps.setEnabled(false);
          assertClose(off, on, tol, dtype + (checkpointed ? " checkpointed" : " plain"));
        }
      }
    }
  }
}
