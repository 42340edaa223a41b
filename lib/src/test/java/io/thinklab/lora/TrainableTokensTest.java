package io.thinklab.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.Tiny;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEFT's trainable_token_indices: a few embedding rows train beside the low-rank pairs. */
class TrainableTokensTest {

  @TempDir
  Path dir;

  static final List<Integer> TOKENS = List.of(4, 5);

  static LlamaConfig tied() {
    return LlamaConfig.parse(Tiny.CONFIG_JSON.replace("\"tie_word_embeddings\": false",
        "\"tie_word_embeddings\": true"), "tiny-tied");
  }

  static LoraConfig cfg() {
    return new LoraConfig(4, 8, 0, List.of("q_proj", "v_proj"), false, "tiny").withTrainableTokens(TOKENS);
  }

  static float[] logits(LlamaModel m, NDManager sm, NDArray ids) {
    return m.forward(ids, null, false).toType(DataType.FLOAT32, false).toFloatArray();
  }

  /** New values for the token rows (what training would give), so the adapter changes the model. */
  static void moveRows(LoraAdapter ad, long seed) {
    NDArray rows = ad.tensors().get(LoraAdapter.TOKEN_ROWS);
    Random r = new Random(seed);
    float[] v = new float[(int) rows.getShape().size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    rows.set(v);
  }

  @Test
  void aFreshAdapterLeavesTheModelUnchangedAndCountsTheRows() {
    try (LlamaModel model = LlamaModel.random(tied(), DataType.FLOAT32, Device.cpu(), 1);
         NDManager sm = model.manager().newSubManager();
         LoraAdapter ad = LoraAdapter.init(tied(), cfg(), Device.cpu(), 2)) {
      NDArray ids = Tiny.ids(sm, 2, 9, 3, 61);
      float[] before = logits(model, sm, ids);
      model.attach(ad);
      assertEquals(0.0, Tiny.maxDiff(before, logits(model, sm, ids)), "rows start as the base's rows");
      // two rows of H = 32 beside the pairs, as LoraConfig counts them
      assertEquals(cfg().trainableParameters(tied()), ad.parameterCount());
      assertEquals(new LoraConfig(4, 8, 0, List.of("q_proj", "v_proj"), false, "tiny").trainableParameters(tied())
          + 2 * 32, ad.parameterCount());
    }
  }

  @Test
  void gradientsReachTheRowsThroughTheEmbeddingAndTheTiedHead() {
    try (LlamaModel model = LlamaModel.random(tied(), DataType.FLOAT32, Device.cpu(), 1);
         NDManager sm = model.manager().newSubManager();
         LoraAdapter ad = LoraAdapter.init(tied(), cfg(), Device.cpu(), 2)) {
      model.attach(ad);
      NDArray rows = ad.tensors().get(LoraAdapter.TOKEN_ROWS);
      // ids without tokens 4 and 5: only the tied head can carry their gradient (pushing their logits down)
      long[] v = {1, 7, 9, 11, 13, 7, 9};
      NDArray ids = sm.create(v, new ai.djl.ndarray.types.Shape(1, v.length));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(Tiny.loss(model, ids, true));
      }
      float[] g = rows.getGradient().toFloatArray();
      double norm = 0;
      for (float x : g) {
        norm += x * x;
      }
      assertTrue(norm > 0, "the tied head gives the rows a gradient");
      rows.getGradient().set(new ai.djl.ndarray.index.NDIndex("..."), 0);
      // with token 4 in the input, the embedding path adds to it
      long[] w = {1, 4, 9, 5, 13};
      NDArray ids2 = sm.create(w, new ai.djl.ndarray.types.Shape(1, w.length));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(Tiny.loss(model, ids2, true));
      }
      assertTrue(rows.getGradient().abs().sum().getFloat() > 0);
      // the frozen table itself gets none
      assertTrue(!model.weights().get("model.embed_tokens.weight").hasGradient());
    }
  }

  @Test
  void savesAsPeftLoadsBackAndMergesToTheSameLogits() throws Exception {
    float[] unmerged;
    try (LlamaModel model = LlamaModel.random(tied(), DataType.FLOAT32, Device.cpu(), 1);
         NDManager sm = model.manager().newSubManager();
         LoraAdapter ad = LoraAdapter.init(tied(), cfg(), Device.cpu(), 2)) {
      model.attach(ad);
      LoraTest.randomizeB(ad, 5);
      moveRows(ad, 6);
      NDArray ids = Tiny.ids(sm, 2, 9, 3, 61);
      ids.set(new ai.djl.ndarray.index.NDIndex(":, 2"), 4); // token 4 in the input: its row is read
      unmerged = logits(model, sm, ids);
      ad.save(dir);
    }
    var json = new ObjectMapper().readTree(dir.resolve(LoraConfig.FILE).toFile());
    assertEquals("[4,5]", json.get("trainable_token_indices").toString());
    assertEquals(List.of(4, 5), LoraConfig.read(dir).trainableTokenIndices());
    try (LlamaModel model = LlamaModel.random(tied(), DataType.FLOAT32, Device.cpu(), 1);
         NDManager sm = model.manager().newSubManager();
         LoraAdapter ad = LoraAdapter.load(dir, tied(), Device.cpu())) {
      assertEquals(new ai.djl.ndarray.types.Shape(2, 32), ad.tensors().get(LoraAdapter.TOKEN_ROWS).getShape());
      model.attach(ad);
      NDArray ids = Tiny.ids(sm, 2, 9, 3, 61);
      ids.set(new ai.djl.ndarray.index.NDIndex(":, 2"), 4); // token 4 in the input: its row is read
      assertEquals(0.0, Tiny.maxDiff(unmerged, logits(model, sm, ids)), 1e-6, "loaded = saved");
      ad.mergeInto(model);
      assertEquals(0.0, Tiny.maxDiff(unmerged, logits(model, sm, ids)), 1e-4, "merged = unmerged");
    }
  }

  @Test
  void anIdOutsideTheVocabularyIsRefused() {
    try (LlamaModel model = LlamaModel.random(tied(), DataType.FLOAT32, Device.cpu(), 1);
         LoraAdapter ad = LoraAdapter.init(tied(), cfg().withTrainableTokens(List.of(61)), Device.cpu(), 2)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.attach(ad));
      assertTrue(e.getMessage().contains("61"), e.getMessage());
    }
  }
}
