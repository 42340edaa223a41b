package io.thinklab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.Shared;
import org.junit.jupiter.api.Test;

class LlamaConfigTest {

  static final String NANBEIGE_SHAPE = """
      {"model_type": "llama", "hidden_size": 2560, "intermediate_size": 10496, "num_hidden_layers": 32,
       "num_attention_heads": 20, "num_key_value_heads": 4, "vocab_size": 166144, "rope_theta": 5000000,
       "rms_norm_eps": 1e-05, "tie_word_embeddings": false, "bos_token_id": 1, "eos_token_id": 2}""";

  @Test
  void countsNanbeigeParameters() {
    LlamaConfig c = LlamaConfig.parse(NANBEIGE_SHAPE, "inline");
    assertEquals(128, c.headDim());
    assertEquals(5, c.groupSize());
    assertEquals(3_933_637_120L, c.totalParameters());
    assertEquals(3_082_979_840L, c.nonEmbeddingParameters());
  }

  @Test
  void readsTheRealNanbeigeConfig() {
    LlamaConfig c = LlamaConfig.read(Shared.reference("nanbeige4-3b-base/config.json"));
    assertEquals(LlamaConfig.parse(NANBEIGE_SHAPE, "inline").totalParameters(), c.totalParameters());
    assertFalse(c.tieWordEmbeddings());
    assertEquals(5e6, c.ropeTheta());
    assertEquals("bfloat16", c.torchDtype());
  }

  @Test
  void tiedEmbeddingsCountOnce() {
    LlamaConfig c = LlamaConfig.parse(NANBEIGE_SHAPE.replace("\"tie_word_embeddings\": false",
        "\"tie_word_embeddings\": true"), "inline");
    assertEquals(3_933_637_120L - 166144L * 2560, c.totalParameters());
  }

  @Test
  void rejectsOtherArchitecturesAndBadShapes() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> LlamaConfig.parse("{\"model_type\": \"gpt2\"}", "cfg.json"));
    assertTrue(e.getMessage().startsWith("cfg.json: model_type is 'gpt2'"), e.getMessage());
    var missing = assertThrows(IllegalArgumentException.class,
        () -> LlamaConfig.parse(NANBEIGE_SHAPE.replace("\"vocab_size\": 166144,", ""), "cfg.json"));
    assertTrue(missing.getMessage().contains("'vocab_size'"), missing.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> LlamaConfig.parse(NANBEIGE_SHAPE.replace("\"num_key_value_heads\": 4", "\"num_key_value_heads\": 3"), "x"));
  }
}
