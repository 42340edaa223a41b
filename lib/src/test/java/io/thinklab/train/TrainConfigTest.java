package io.thinklab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import io.thinklab.run.RunFile;
import io.thinklab.run.RunFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

  @Test
  void theBuilderHoldsTheOnlyDefaults() {
    TrainConfig d = TrainConfig.defaults();
    assertEquals(new TrainConfig(4, 2, 2, 0, 1e-3, "cosine", 0.05, 0.0, 1.0, "fp32", 42, 50, 2, false), d);
    assertEquals(d, TrainConfig.builder().build());
    assertEquals(d, d.toBuilder().build(), "toBuilder keeps every setting");
  }

  @Test
  void everyWitherChangesOneSetting() {
    TrainConfig d = TrainConfig.defaults();
    assertEquals(7, d.withMaxSteps(7).maxSteps());
    assertEquals(3, d.withCheckpointEvery(3).checkpointEvery());
    assertEquals(List.of(8, 1), List.of(d.withBatching(8, 1).microBatch(), d.withBatching(8, 1).gradAccum()));
    assertEquals(Precision.FP16, d.withPrecision(Precision.FP16).precisionKind());
    assertEquals("fp16", d.withPrecision("fp16").precision());
    assertEquals(DataType.FLOAT16, d.withPrecision(Precision.FP16).baseDtype());
    assertTrue(d.withGradientCheckpointing(true).gradientCheckpointing());
    assertEquals(5, d.withSeed(5).seed());
    assertEquals(9, d.withEpochs(9).epochs());
    assertEquals(0.5, d.withLr(0.5).lr());
    assertEquals(d.withLr(0.5).withSeed(5), d.toBuilder().lr(0.5).seed(5).build());
  }

  @Test
  void impossibleSettingsAreRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainConfig.builder().schedule("cosin").build());
    assertTrue(e.getMessage().contains("schedule"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.defaults().withPrecision("fp8"));
    assertTrue(e.getMessage().contains("'fp8'") && e.getMessage().contains("bf16"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().batch(0, 1).build());
  }

  @Test
  void aRunFilesTrainBlockOverTheDefaults() {
    RunFile run = RunFiles.resolve("tiny-opus-cpu", List.of());
    TrainConfig c = TrainConfig.fromRun(run.train(), "fp32");
    assertEquals(new TrainConfig(4, 2, 2, 0, 5e-3, "cosine", 0.05, 0.0, 1.0, "fp32", 42, 50, 2, false), c);
  }

  @Test
  void bf16StaysBf16OnAGpuWithTheExtensionElseFp16AndFp32OnTheCpu() {
    assertEquals(Precision.FP16, Precision.forRunFile("bf16", true, false));
    assertEquals(Precision.BF16, Precision.forRunFile("bf16", true, true));
    assertEquals(Precision.FP32, Precision.forRunFile("bf16", false));
    assertEquals(Precision.FP32, Precision.forRunFile("bf16", false, true));
    assertEquals(Precision.BF16, Precision.parse("BF16"));
    assertEquals(Precision.FP16, Precision.forRunFile("fp16", false));
    assertEquals("fp32", Precision.FP32.toString());
  }
}
