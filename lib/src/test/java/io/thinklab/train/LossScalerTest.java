package io.thinklab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Loss scaling: on for fp16 only, and a resume across precisions does not carry a scale where none belongs. */
class LossScalerTest {

  @Test
  void onlyFp16ScalesAndAResumeKeepsItsOwnKind() {
    assertTrue(Precision.FP16.scalesLoss());
    assertFalse(Precision.BF16.scalesLoss());
    assertFalse(Precision.FP32.scalesLoss());

    LossScaler fp16 = new LossScaler(true);
    fp16.restore(1024, 17); // an fp16 checkpoint
    assertEquals(1024, fp16.scale());
    assertEquals(17, fp16.goodSteps());
    LossScaler fromUnscaled = new LossScaler(true);
    fromUnscaled.restore(1, 0); // an fp32 or bf16 checkpoint resumed in fp16: the initial scale
    assertEquals(LossScaler.INIT_SCALE, fromUnscaled.scale());

    LossScaler bf16 = new LossScaler(Precision.BF16.scalesLoss());
    bf16.restore(65536, 40); // an fp16 checkpoint resumed in bf16: no scale
    assertEquals(1, bf16.scale());
    assertEquals(0, bf16.goodSteps());
    assertFalse(bf16.enabled());
  }
}
