package io.thinklab.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.NativeOps;
import io.thinklab.model.NativeOpsTest;
import io.thinklab.model.NativeSwitch;
import io.thinklab.model.Tiny;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * LoRA on a bf16 base ({@link NativeOps#requireBf16}): the adapter's gradients (and the trainable token rows') on
 * {@link GradientFlowTest}'s model, adapter and batch, bf16 base against the same base in fp32, on the plain and the
 * checkpointed backward, with the model's ops from DJL's code and from the extension. The adapter stays fp32 (its
 * masters), the base and the activations are bf16. Skipped or failed as {@link NativeOpsTest} says.
 *
 * <p>Tolerance: {@value #TOLERANCE} of each tensor's largest gradient. bf16 keeps 8 significant bits (fp16 11), so
 * its rounding of a base whose weights are scaled by 10 moves gradients by a few per cent (seen here: 1.2–2.8 %,
 * the same on every path). More than 1e-4 is asserted too: a base silently run in fp32 would give the fp32 gradients.
 */
@ExtendWith(NativeSwitch.class)
class Bf16LoraTest {

  static final double TOLERANCE = 0.06;


  static double worst(Map<String, float[]> want, Map<String, float[]> got, String what) {
    double worst = 0;
    for (String name : want.keySet()) {
      double scale = Tiny.maxDiff(want.get(name), new float[want.get(name).length]);
      double diff = Tiny.maxDiff(want.get(name), got.get(name));
      assertTrue(scale > 1e-3, what + ", " + name + ": gradient ~0, nothing tested");
      worst = Math.max(worst, diff / scale);
    }
    return worst;
  }

  @Test
  void bf16BaseGradientsFollowTheFp32OnesOnEveryPath() {
    Map<String, Map<String, float[]>> fp32 = new java.util.HashMap<>();
    for (DataType dtype : new DataType[] {DataType.FLOAT32, DataType.BFLOAT16}) {
      try (LlamaModel model = GradientFlowTest.model(dtype); LoraAdapter ad = GradientFlowTest.adapter();
           NDManager m = model.manager().newSubManager()) {
        GradientFlowTest.attach(model, ad);
        GradientFlowTest.Batch b = GradientFlowTest.Batch.of(m);
        for (boolean checkpointed : new boolean[] {false, true}) {
          for (boolean nativeOps : new boolean[] {false, true}) {
            String path = (checkpointed ? "checkpointed" : "plain") + (nativeOps ? ", extension" : ", DJL code");
            NativeOps.setEnabled(nativeOps);
            Map<String, float[]> g = GradientFlowTest.autograd(model, ad, b, checkpointed);
            NativeOps.setEnabled(false);
            if (dtype == DataType.FLOAT32) {
              fp32.put(path, g);
              continue;
            }
            assertEquals(DataType.FLOAT32, ad.parameters().get(0).getDataType(), "the adapter's masters stay fp32");
            double w = worst(fp32.get(path), g, "bf16 " + path);
            assertTrue(w <= TOLERANCE, "bf16 " + path + ": max |bf16 − fp32| = " + w + " × max |fp32|");
            assertTrue(w > 1e-4, "bf16 " + path + ": the fp32 gradients exactly (" + w + "): no bf16 ran");
          }
        }
      }
    }
  }
}
