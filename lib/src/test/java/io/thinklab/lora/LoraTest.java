package io.thinklab.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.Shared;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.Tiny;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraTest {

  static final List<String> ALL = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
      "down_proj");

  @TempDir
  Path dir;

  static LoraConfig cfg(int r, double alpha, double dropout, List<String> targets, boolean rs) {
    return new LoraConfig(r, alpha, dropout, targets, rs, "tiny");
  }

  /** Gives every B random values so the adapter actually changes the model (a fresh one does not). */
  static void randomizeB(LoraAdapter ad, long seed) {
    Random r = new Random(seed);
    for (NDArray p : ad.parameters()) {
      if (p.getName().endsWith("lora_B.weight")) {
        float[] v = new float[(int) p.getShape().size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (r.nextGaussian() * 0.1);
        }
        p.set(v);
      }
    }
  }

  @Test
  void countsTrainableParametersAsTheSeedDid() {
    LlamaConfig nanbeige = LlamaConfig.parse("""
        {"model_type": "llama", "hidden_size": 2560, "intermediate_size": 10496, "num_hidden_layers": 32,
         "num_attention_heads": 20, "num_key_value_heads": 4, "vocab_size": 166144}""", "nanbeige");
    assertEquals(8_388_608L, LoraConfig.seed("Nanbeige/Nanbeige4-3B-Base").trainableParameters(nanbeige));
    // all seven projections: + gate/up/down 3 × 16 × (10496 + 2560) per layer
    assertEquals(28_442_624L, cfg(16, 32, 0, ALL, false).trainableParameters(nanbeige));
    try (LoraAdapter ad = LoraAdapter.init(Tiny.config(), cfg(4, 8, 0, ALL, false), Device.cpu(), 1)) {
      assertEquals(cfg(4, 8, 0, ALL, false).trainableParameters(Tiny.config()), ad.parameterCount());
      assertEquals(2 * 7 * 2, ad.parameters().size());
    }
  }

  @Test
  void initialisesAsPeft() {
    try (LoraAdapter ad = LoraAdapter.init(Tiny.config(), cfg(8, 16, 0, List.of("q_proj", "down_proj"), false),
        Device.cpu(), 2)) {
      NDArray a = ad.tensors().get("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight");
      NDArray b = ad.tensors().get("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight");
      assertEquals(new ai.djl.ndarray.types.Shape(8, 48), a.getShape()); // [r, in]; down_proj in = 48
      assertEquals(new ai.djl.ndarray.types.Shape(32, 8), b.getShape()); // [out, r]
      double bound = 1 / Math.sqrt(48);
      float[] av = a.toFloatArray();
      double sq = 0;
      for (float v : av) {
        assertTrue(Math.abs(v) <= bound);
        sq += v * v;
      }
      // U(−bound, bound) has standard deviation bound/√3
      assertEquals(bound / Math.sqrt(3), Math.sqrt(sq / av.length), 0.1 * bound);
      assertEquals(0f, b.abs().max().getFloat());
      assertEquals(2.0, ad.config().scaling());
      assertEquals(16 / Math.sqrt(8), cfg(8, 16, 0, ALL, true).scaling(), 1e-12);
    }
  }

  @Test
  void freshAdapterLeavesLogitsExactlyUnchanged() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1);
         LoraAdapter ad = LoraAdapter.init(Tiny.config(), cfg(4, 8, 0.5, ALL, false), Device.cpu(), 3);
         NDManager sm = model.manager().newSubManager()) {
      NDArray ids = Tiny.ids(sm, 2, 9, 4, 61);
      float[] base = model.forward(ids, null, false).toFloatArray();
      model.attach(ad);
      assertArrayEquals(base, model.forward(ids, null, false).toFloatArray());
      // dropout acts on the adapter's input only: with B = 0 even a training forward is the base's
      assertArrayEquals(base, model.forward(ids, null, true).toFloatArray());
      randomizeB(ad, 5);
      float[] adapted = model.forward(ids, null, false).toFloatArray();
      assertTrue(Tiny.maxDiff(base, adapted) > 1e-3);
      assertTrue(Tiny.maxDiff(adapted, model.forward(ids, null, true).toFloatArray()) > 1e-4, "dropout on");
    }
  }

  @Test
  void mergedEqualsUnmerged() {
    for (DataType dtype : List.of(DataType.FLOAT32, DataType.FLOAT16)) {
      try (LlamaModel model = LlamaModel.random(Tiny.config(), dtype, Device.cpu(), 1);
           LoraAdapter ad = LoraAdapter.init(Tiny.config(), cfg(4, 8, 0.1, ALL, false), Device.cpu(), 3);
           NDManager sm = model.manager().newSubManager()) {
        randomizeB(ad, 6);
        model.attach(ad);
        NDArray ids = Tiny.ids(sm, 2, 9, 4, 61);
        float[] base = model.weights().get("model.layers.0.self_attn.q_proj.weight")
            .toType(DataType.FLOAT32, false).toFloatArray();
        float[] unmerged = model.forward(ids, null, false).toType(DataType.FLOAT32, false).toFloatArray();
        ad.mergeInto(model);
        assertNull(model.adapter());
        float[] merged = model.forward(ids, null, false).toType(DataType.FLOAT32, false).toFloatArray();
        double tol = dtype == DataType.FLOAT32 ? 1e-5 : 3e-3;
        assertEquals(0, Tiny.maxDiff(unmerged, merged), tol, dtype.toString());
        assertTrue(Tiny.maxDiff(base, model.weights().get("model.layers.0.self_attn.q_proj.weight")
            .toType(DataType.FLOAT32, false).toFloatArray()) > 1e-3, "weights changed");
      }
    }
  }

  @Test
  void onlyLoraParametersReceiveGradientsAndTheyMatchFiniteDifferences() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1);
         LoraAdapter ad = LoraAdapter.init(Tiny.config(), cfg(4, 8, 0, ALL, false), Device.cpu(), 3);
         NDManager sm = model.manager().newSubManager()) {
      for (NDArray w : model.weights().values()) { // a livelier base so gradients are well above fp32 noise
        if (!w.getName().endsWith("norm.weight")) {
          w.muli(10);
        }
      }
      randomizeB(ad, 7);
      model.attach(ad);
      NDArray ids = Tiny.ids(sm, 2, 8, 11, 61);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(Tiny.loss(model, ids, true));
      }
      for (NDArray w : model.weights().values()) {
        assertFalse(w.hasGradient(), w.getName() + " is frozen");
      }
      for (NDArray p : ad.parameters()) {
        NDArray g = p.getGradient();
        g.attach(sm);
        assertTrue(g.abs().max().getFloat() > 0, p.getName() + " gets a gradient");
      }
      for (String name : List.of("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
          "base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight",
          "base_model.model.model.layers.0.mlp.down_proj.lora_A.weight",
          "base_model.model.model.layers.1.mlp.gate_proj.lora_B.weight")) {
        NDArray p = ad.tensors().get(name);
        NDArray gArr = p.getGradient();
        float[] grad = gArr.toFloatArray();
        gArr.close();
        int i = 0;
        for (int j = 1; j < grad.length; j++) {
          i = Math.abs(grad[j]) > Math.abs(grad[i]) ? j : i;
        }
        float[] v = p.toFloatArray();
        double eps = 1e-2;
        double up = lossAt(model, p, v, i, v[i] + eps, ids);
        double down = lossAt(model, p, v, i, v[i] - eps, ids);
        p.set(v);
        double numeric = (up - down) / (2 * eps);
        assertTrue(Math.abs(grad[i]) > 1e-3, name + ": " + grad[i]);
        assertEquals(numeric, grad[i], Math.max(2e-3, 0.02 * Math.abs(numeric)), name + "[" + i + "]");
      }
    }
  }

  private static double lossAt(LlamaModel model, NDArray p, float[] v, int i, double value, NDArray ids) {
    float[] c = v.clone();
    c[i] = (float) value;
    p.set(c);
    try (NDManager step = model.manager().newSubManager()) {
      NDArray stepIds = ids.duplicate();
      stepIds.attach(step);
      return Tiny.loss(model, stepIds, false).getFloat();
    }
  }

  @Test
  void fp16BaseGivesFp32GradientsCloseToTheFp32Run() {
    float[][] grads = new float[2][];
    int k = 0;
    for (DataType dtype : List.of(DataType.FLOAT32, DataType.FLOAT16)) {
      try (LlamaModel model = LlamaModel.random(Tiny.config(), dtype, Device.cpu(), 1);
           LoraAdapter ad = LoraAdapter.init(Tiny.config(), cfg(4, 8, 0, ALL, false), Device.cpu(), 3);
           NDManager sm = model.manager().newSubManager()) {
        randomizeB(ad, 7);
        model.attach(ad);
        NDArray ids = Tiny.ids(sm, 2, 8, 11, 61);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(io.thinklab.model.Ops.scale(Tiny.loss(model, ids, true), 1024)); // a loss scale keeps fp16 gradients representable
        }
        NDArray g = ad.tensors().get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").getGradient();
        g.attach(sm);
        assertEquals(DataType.FLOAT32, g.getDataType(), "LoRA masters and their gradients stay fp32");
        grads[k++] = g.div(1024).toFloatArray();
      }
    }
    double scale = 0;
    for (float x : grads[0]) {
      scale = Math.max(scale, Math.abs(x));
    }
    assertTrue(scale > 0);
    assertEquals(0, Tiny.maxDiff(grads[0], grads[1]) / scale, 0.02);
  }

  @Test
  void savesAndLoadsThePeftFormat() throws Exception {
    LoraConfig config = cfg(4, 8, 0.05, List.of("q_proj", "v_proj", "down_proj"), false);
    try (LoraAdapter ad = LoraAdapter.init(Tiny.config(), config, Device.cpu(), 3)) {
      randomizeB(ad, 8);
      ad.save(dir);
      assertTrue(Files.exists(dir.resolve("adapter_config.json")));
      try (LoraAdapter back = LoraAdapter.load(dir, Tiny.config(), Device.cpu())) {
        assertEquals(config, back.config());
        assertEquals(ad.tensors().keySet(), back.tensors().keySet());
        assertTrue(back.tensors().containsKey("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"));
        for (String name : ad.tensors().keySet()) {
          assertEquals(ad.tensors().get(name).getShape(), back.tensors().get(name).getShape(), name);
          assertArrayEquals(ad.tensors().get(name).toFloatArray(), back.tensors().get(name).toFloatArray(), name);
        }
      }
      // a model of another shape is refused, naming the tensor
      LlamaConfig wider = LlamaConfig.parse(Tiny.CONFIG_JSON.replace("\"hidden_size\": 32", "\"hidden_size\": 64"),
          "wider");
      var e = assertThrows(IllegalArgumentException.class, () -> LoraAdapter.load(dir, wider, Device.cpu()));
      assertTrue(e.getMessage().contains("lora_A.weight' has shape (4, 32), expected (4, 64)"), e.getMessage());
    }
  }

  @Test
  void writesAdapterConfigAsPeftDoes() throws Exception {
    ObjectMapper json = new ObjectMapper();
    LoraConfig seed = LoraConfig.seed("Nanbeige/Nanbeige4-3B-Base");
    seed.write(dir);
    var written = json.readTree(dir.resolve("adapter_config.json").toFile());
    assertEquals(36, written.size()); // every field PEFT 0.18.1 writes
    assertEquals(32, written.get("lora_alpha").asInt());
    assertTrue(written.get("lora_alpha").isIntegralNumber());
    assertEquals(seed, LoraConfig.read(dir));
    // the seed's real adapter_config.json, written by PEFT 0.18.1: identical field for field
    var reference = json.readTree(Shared.reference("seed-run/adapter_config.glm-12k.json").toFile());
    assertEquals(reference, written);
  }
}
