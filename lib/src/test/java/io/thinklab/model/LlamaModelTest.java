package io.thinklab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.thinklab.safetensors.Dtype;
import io.thinklab.safetensors.SafetensorsFile;
import io.thinklab.safetensors.SafetensorsWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaModelTest {

  @TempDir
  Path dir;

  @Test
  void randomModelStartsNearUniform() {
    // With N(0, 0.02²) weights the logits are tiny, so the first loss is close to ln(V) = ln 61 = 4.1109.
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1);
         NDManager sm = model.manager().newSubManager()) {
      NDArray ids = Tiny.ids(sm, 2, 12, 5, 61);
      NDArray logits = model.forward(ids, null, false);
      assertEquals(new Shape(2, 12, 61), logits.getShape());
      assertEquals(Math.log(61), Tiny.loss(model, ids, false).getFloat(), 0.01);
      assertEquals(LlamaWeights.names(model.config()).size(), model.weights().size());
      assertEquals(Tiny.config().totalParameters(),
          model.weights().values().stream().mapToLong(a -> a.getShape().size()).sum());
    }
  }

  @Test
  void buildsTheTinyThinkerProfile() {
    // the preflight's tiny-thinker: hidden 256, 4 layers, 8 heads / 2 KV heads, SwiGLU 688, vocab 256, tied
    LlamaConfig c = LlamaConfig.parse(io.thinklab.train.TrainBenchmark.TINY_THINKER, "tiny-thinker");
    assertEquals(2_836_736L, c.totalParameters());
    try (LlamaModel model = LlamaModel.random(c, DataType.FLOAT32, Device.cpu(), 1)) {
      assertEquals(2_836_736L, model.weights().values().stream().mapToLong(a -> a.getShape().size()).sum());
    }
  }

  @Test
  void isCausal() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 2);
         NDManager sm = model.manager().newSubManager()) {
      NDArray ids = Tiny.ids(sm, 1, 10, 3, 61);
      NDArray changed = ids.duplicate();
      changed.set(new NDIndex(0, 6), 17L);
      float[] a = model.forward(ids, null, false).get(new NDIndex(":, :6, :")).toFloatArray();
      float[] b = model.forward(changed, null, false).get(new NDIndex(":, :6, :")).toFloatArray();
      assertArrayEquals(a, b, "positions before the change must not see it");
      float[] after = model.forward(changed, null, false).get(new NDIndex(":, 6:, :")).toFloatArray();
      float[] before = model.forward(ids, null, false).get(new NDIndex(":, 6:, :")).toFloatArray();
      assertTrue(Tiny.maxDiff(after, before) > 1e-4, "positions from the change on must see it");
    }
  }

  @Test
  void rightPaddingDoesNotChangeRealTokens() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 3);
         NDManager sm = model.manager().newSubManager()) {
      NDArray shortIds = Tiny.ids(sm, 1, 7, 9, 61);
      NDArray longIds = Tiny.ids(sm, 1, 11, 10, 61);
      // batch the 7-token sequence with an 11-token one: pad it on the right with id 0 and mask the padding
      NDArray padded = shortIds.concat(sm.zeros(new Shape(1, 4), DataType.INT64), 1).concat(longIds, 0);
      NDArray mask = sm.create(new long[] {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
          new Shape(2, 11));
      NDArray batched = model.forward(padded, mask, false);
      assertEquals(0, Tiny.maxDiff(model.forward(shortIds, null, false).toFloatArray(),
          batched.get(new NDIndex("0:1, :7, :")).toFloatArray()), 1e-5);
      assertEquals(0, Tiny.maxDiff(model.forward(longIds, null, false).toFloatArray(),
          batched.get(new NDIndex("1:2, :, :")).toFloatArray()), 1e-5);
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 4);
         NDManager sm = model.manager().newSubManager()) {
      // larger weights than the init so every path (attention, MLP, norms) carries a visible gradient
      for (NDArray w : model.weights().values()) {
        if (!w.getName().endsWith("norm.weight")) {
          w.muli(10);
        }
      }
      model.setBaseTrainable(true);
      NDArray ids = Tiny.ids(sm, 2, 8, 11, 61);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(Tiny.loss(model, ids, true));
      }
      String[] probes = {"model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
          "model.layers.0.self_attn.k_proj.weight", "model.layers.1.self_attn.v_proj.weight",
          "model.layers.0.mlp.gate_proj.weight", "model.layers.1.mlp.down_proj.weight",
          "model.layers.1.input_layernorm.weight", "model.norm.weight", "lm_head.weight"};
      for (String name : probes) {
        NDArray w = model.weights().get(name);
        float[] grad = w.getGradient().toFloatArray();
        int i = argMaxAbs(grad); // the largest entry: far above fp32 noise of the difference quotient
        float[] v = w.toFloatArray();
        double eps = 1e-2;
        double up = lossWith(model, w, v, i, v[i] + eps, sm, ids);
        double down = lossWith(model, w, v, i, v[i] - eps, sm, ids);
        w.set(v);
        double numeric = (up - down) / (2 * eps);
        assertEquals(numeric, grad[i], Math.max(2e-3, Math.abs(numeric) * 0.02), name + "[" + i + "]");
        assertTrue(Math.abs(grad[i]) > 1e-3, name + " has a vanishing gradient: " + grad[i]);
      }
    }
  }

  private static double lossWith(LlamaModel model, NDArray w, float[] v, int i, double value, NDManager sm,
                                 NDArray ids) {
    float[] c = v.clone();
    c[i] = (float) value;
    w.set(c);
    try (NDManager step = sm.newSubManager()) {
      NDArray stepIds = ids.duplicate();
      stepIds.attach(step);
      return Tiny.loss(model, stepIds, false).getFloat();
    }
  }

  static int argMaxAbs(float[] g) {
    int best = 0;
    for (int i = 1; i < g.length; i++) {
      if (Math.abs(g[i]) > Math.abs(g[best])) {
        best = i;
      }
    }
    return best;
  }

  @Test
  void fp16ForwardTracksFp32() {
    try (LlamaModel m32 = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 6);
         LlamaModel m16 = LlamaModel.random(Tiny.config(), DataType.FLOAT16, Device.cpu(), 6);
         NDManager sm = m32.manager().newSubManager()) {
      NDArray ids = Tiny.ids(sm, 2, 9, 1, 61);
      NDArray l32 = m32.forward(ids, null, false);
      NDArray l16 = m16.forward(ids, null, false);
      assertEquals(DataType.FLOAT16, l16.getDataType());
      assertEquals(0, Tiny.maxDiff(l32.toFloatArray(), l16.toType(DataType.FLOAT32, false).toFloatArray()), 2e-3);
      assertEquals(Tiny.loss(m32, ids, false).getFloat(), Tiny.loss(m16, ids, false).getFloat(), 1e-3);
    }
  }

  @Test
  void tiedEmbeddingsReuseTheEmbeddingMatrix() {
    LlamaConfig tied = LlamaConfig.parse(Tiny.CONFIG_JSON.replace("\"tie_word_embeddings\": false",
        "\"tie_word_embeddings\": true"), "tied");
    try (LlamaModel model = LlamaModel.random(tied, DataType.FLOAT32, Device.cpu(), 7);
         NDManager sm = model.manager().newSubManager()) {
      assertFalse(model.weights().containsKey("lm_head.weight"));
      NDArray ids = Tiny.ids(sm, 1, 5, 2, 61);
      NDArray hidden = model.hidden(ids, null, false);
      NDArray expected = hidden.matMul(model.weights().get("model.embed_tokens.weight").transpose());
      assertEquals(0, Tiny.maxDiff(expected.toFloatArray(), model.forward(ids, null, false).toFloatArray()), 1e-5);
    }
  }

  @Test
  void rotaryIsARotationThatEncodesRelativePosition() {
    LlamaConfig c = Tiny.config();
    try (NDManager m = NDManager.newBaseManager()) {
      float[] inv = Rope.inverseFrequencies(c);
      assertEquals(1.0f, inv[0]);
      assertEquals(Math.pow(10000, -2.0 * 3 / 8), inv[3], 1e-7); // hd = 8: θ^(−2k/hd)
      NDArray[] cs = Rope.cosSin(m, inv, 12, c, DataType.FLOAT32);
      NDArray q = m.randomNormal(new Shape(1, 1, 1, 8));
      NDArray k = m.randomNormal(new Shape(1, 1, 1, 8));
      // place the same q and k at every position
      NDArray qs = Rope.apply(q.repeat(2, 12), cs[0], cs[1]).reshape(12, 8);
      NDArray ks = Rope.apply(k.repeat(2, 12), cs[0], cs[1]).reshape(12, 8);
      assertEquals(q.norm().getFloat(), qs.get(7).norm().getFloat(), 1e-5, "a rotation keeps the norm");
      float d1 = qs.get(5).dot(ks.get(2)).getFloat(); // positions 5 and 2
      float d2 = qs.get(9).dot(ks.get(6)).getFloat(); // positions 9 and 6: same distance
      assertEquals(d1, d2, 1e-4, "q·k depends only on the distance");
    }
  }

  @Test
  void llama3RopeScalingStretchesOnlyLowFrequencies() {
    LlamaConfig c = LlamaConfig.parse("""
        {"model_type": "llama", "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 1,
         "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 10, "rope_theta": 500000.0,
         "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                          "original_max_position_embeddings": 8192, "rope_type": "llama3"}}""", "llama-3.2-1b");
    LlamaConfig plain = LlamaConfig.parse("""
        {"model_type": "llama", "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 1,
         "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 10, "rope_theta": 500000.0}""", "p");
    float[] s = Rope.inverseFrequencies(c);
    float[] p = Rope.inverseFrequencies(plain);
    assertEquals(32, s.length);
    assertEquals(p[0], s[0]);                    // wavelength 2π < 2048: kept
    assertEquals(p[31] / 32, s[31], 1e-12);      // wavelength > 8192: divided by the factor
    int medium = 0;
    for (int k = 0; k < 32; k++) {
      double wavelen = 2 * Math.PI / p[k];
      if (wavelen >= 2048 && wavelen <= 8192) {  // interpolated band: strictly between the two
        medium++;
        assertTrue(s[k] < p[k] && s[k] > p[k] / 32, "k=" + k);
      }
    }
    assertTrue(medium > 0);
    assertThrows(IllegalArgumentException.class, () -> Rope.inverseFrequencies(LlamaConfig.parse(
        Tiny.CONFIG_JSON.replace("\"rope_theta\": 10000,", "\"rope_theta\": 10000, \"rope_scaling\": "
            + "{\"rope_type\": \"yarn\", \"factor\": 4},"), "yarn")));
  }

  @Test
  void loadsHuggingFaceFoldersIncludingBf16() throws Exception {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 8);
         NDManager sm = model.manager().newSubManager()) {
      Files.writeString(dir.resolve("config.json"), Tiny.CONFIG_JSON);
      model.save(dir.resolve("model.safetensors"));
      NDArray ids = Tiny.ids(sm, 1, 6, 4, 61);
      float[] expected = model.forward(ids, null, false).toFloatArray();
      try (LlamaModel loaded = LlamaModel.load(dir, DataType.FLOAT32, Device.cpu())) {
        assertArrayEquals(expected, loaded.forward(ids, null, false).toFloatArray());
      }

      // the same weights stored as bf16 (top 16 bits), as real checkpoints ship: loads exactly those values
      SafetensorsFile f32 = SafetensorsFile.open(dir.resolve("model.safetensors"));
      List<SafetensorsWriter.Tensor> bf16 = new ArrayList<>();
      for (String name : f32.names()) {
        ByteBuffer src = f32.bytes(name);
        ByteBuffer dst = ByteBuffer.allocate(src.remaining() / 2).order(ByteOrder.LITTLE_ENDIAN);
        while (src.hasRemaining()) {
          dst.putShort((short) (src.getInt() >>> 16));
        }
        bf16.add(new SafetensorsWriter.Tensor(name, Dtype.BF16, f32.info(name).shape(), dst.array()));
      }
      Path bfDir = Files.createDirectories(dir.resolve("bf16"));
      Files.writeString(bfDir.resolve("config.json"), Tiny.CONFIG_JSON);
      SafetensorsWriter.writeTensors(bfDir.resolve("model.safetensors"), bf16, Map.of("format", "pt"));
      try (LlamaModel loaded = LlamaModel.load(bfDir, DataType.FLOAT32, Device.cpu())) {
        float[] w = loaded.weights().get("model.layers.0.self_attn.q_proj.weight").toFloatArray();
        float[] orig = model.weights().get("model.layers.0.self_attn.q_proj.weight").toFloatArray();
        for (int i = 0; i < w.length; i++) {
          assertEquals(Float.floatToRawIntBits(orig[i]) & 0xFFFF0000, Float.floatToRawIntBits(w[i]));
        }
        assertEquals(0, Tiny.maxDiff(expected, loaded.forward(ids, null, false).toFloatArray()), 0.05);
      }

      // a checkpoint that does not fit its config.json is refused by name
      Files.writeString(bfDir.resolve("config.json"), Tiny.CONFIG_JSON.replace("\"vocab_size\": 61",
          "\"vocab_size\": 62"));
      var e = assertThrows(IllegalArgumentException.class, () -> LlamaModel.load(bfDir, DataType.FLOAT32,
          Device.cpu()));
      assertTrue(e.getMessage().contains("'model.embed_tokens.weight' has shape (61, 32)"), e.getMessage());
    }
  }
}
