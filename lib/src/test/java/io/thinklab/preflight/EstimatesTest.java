package io.thinklab.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.Shared;
import io.thinklab.model.LlamaConfig;
import io.thinklab.run.DeviceKind;
import io.thinklab.run.ModelProfiles;
import java.util.List;
import org.junit.jupiter.api.Test;

class EstimatesTest {

  static final List<String> QKVO = List.of("q_proj", "k_proj", "v_proj", "o_proj");

  @Test
  void nanbeigeProfileHasTheSeedsSizes() {
    LlamaConfig m = ModelProfiles.resolve("nanbeige4-3b-base");
    assertEquals(3_933_637_120L, m.totalParameters());
    assertEquals(3_082_979_840L, m.nonEmbeddingParameters());
    // 32 layers x 16 x [(2560+2560) + (2560+512) x 2 + (2560+2560)]; the seed's comment guessed ~13 M
    assertEquals(8_388_608L, Estimates.loraParameters(m, 16, QKVO));
  }

  @Test
  void profileEqualsTheRealConfigWhenPresent() {
    LlamaConfig real = LlamaConfig.read(Shared.reference("nanbeige4-3b-base/config.json"));
    LlamaConfig ours = ModelProfiles.resolve("nanbeige4-3b-base");
    assertEquals(real, ours);
  }

  @Test
  void tinyThinkerIsAFewMillionWithGqa() {
    LlamaConfig m = ModelProfiles.resolve("tiny-thinker");
    assertEquals(2_836_736L, m.totalParameters());
    assertEquals(4, m.groupSize());
    assertEquals(256, m.vocabSize());
  }

  @Test
  void unknownTargetIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> Estimates.loraParameters(ModelProfiles.resolve("tiny-thinker"), 8, List.of("qkv")));
  }

  @Test
  void memoryOfTheSeedStepByHand() {
    LlamaConfig m = ModelProfiles.resolve("nanbeige4-3b-base");
    Estimates.Memory mem = Estimates.memory(m, 8_388_608L, "bf16", 4, 2048, true, true);
    assertEquals(3_933_637_120L * 2, mem.weights());
    assertEquals(18L * 8_388_608L, mem.lora());
    // checkpointing: 32 layer inputs + one layer's (5h + 3kv + 4I) tensors, bf16
    long tokens = 4L * 2048;
    assertEquals(32 * tokens * 2560 * 2 + tokens * (5 * 2560 + 3 * 512 + 4 * 10496) * 2, mem.blocks());
    assertEquals(4L * 20 * 2048 * 2048 * 6, mem.attention()); // one layer of scores, fp32 softmax + bf16 copy
    assertEquals(8L * tokens * 166144, mem.logits());
    assertTrue(mem.total() < DeviceKind.H100.memoryBytes());
    // the same step at 8192 tokens overflows an H100; micro-batch 1 fits
    assertTrue(Estimates.memory(m, 8_388_608L, "bf16", 4, 8192, true, true).total() > DeviceKind.H100.memoryBytes());
    assertTrue(Estimates.memory(m, 8_388_608L, "bf16", 1, 8192, true, true).total() < DeviceKind.H100.memoryBytes());
  }

  @Test
  void flopsFollowTheStatedConvention() {
    LlamaConfig m = ModelProfiles.resolve("tiny-thinker");
    double nFrozen = m.nonEmbeddingParameters() + 256.0 * 256;
    double f = Estimates.flops(m, 1000, 100, 0, false);
    assertEquals(4 * nFrozen * 100 + 6 * 1000 * 100, f, 1e-6);
    double attention = Estimates.flops(m, 0, 0, 10_000, false);
    assertEquals(12.0 * 4 * 8 * 32 * 10_000, attention, 1e-6);
  }
}
