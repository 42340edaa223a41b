package io.thinklab.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.run.ModelProfiles;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ParameterTableTest {

  @Test
  void nanbeigeTotalsAreTheSeedsCounts() {
    LlamaConfig m = ModelProfiles.resolve("nanbeige4-3b-base");
    Table t = ParameterTable.of("Nanbeige4-3B", m, LoraConfig.seed("Nanbeige/Nanbeige4-3B-Base"));
    int last = t.rowCount() - 1;
    assertEquals("total", t.stringColumn("module").get(last));
    assertEquals(m.totalParameters(), t.longColumn("parameters").get(last));
    assertEquals(3_933_637_120L, t.longColumn("parameters").get(last));
    assertEquals(8_388_608L, t.longColumn("LoRA trainable").get(last));
    List<ParameterTable.Row> rows = ParameterTable.rows(m, LoraConfig.seed("x"));
    assertEquals(0, rows.stream().filter(r -> r.module().equals("gate_proj")).findFirst().orElseThrow().lora(),
        "the MLP is not targeted");
    assertTrue(rows.stream().anyMatch(r -> r.module().equals("lm_head")), "Nanbeige's head is untied");
  }

  @Test
  void trainableTokenRowsCountOnTheEmbeddingLine() {
    LlamaConfig c = ModelProfiles.resolve("tiny-thinker");
    LoraConfig lc = new LoraConfig(8, 16, 0, List.of("q_proj", "k_proj", "v_proj", "o_proj"), false, "t")
        .withTrainableTokens(List.of(4, 5));
    List<ParameterTable.Row> rows = ParameterTable.rows(c, lc);
    assertEquals(2L * 256, rows.get(0).lora(), "two rows of the 256-wide embedding");
    assertEquals(53_760L, rows.stream().mapToLong(ParameterTable.Row::lora).sum());
    assertEquals(lc.trainableParameters(c), rows.stream().mapToLong(ParameterTable.Row::lora).sum());
  }

  @Test
  void tinyRowsMatchTheWeightsOfARealModel() {
    LlamaConfig c = ModelProfiles.resolve("tiny-thinker");
    LoraConfig lc = new LoraConfig(8, 16, 0, List.of("q_proj", "k_proj", "v_proj", "o_proj", "down_proj"), false, "t");
    long weights;
    try (LlamaModel model = LlamaModel.random(c, DataType.FLOAT32, Device.cpu(), 1);
         LoraAdapter a = LoraAdapter.init(c, lc, Device.cpu(), 1)) {
      weights = model.weights().values().stream().mapToLong(NDArray::size).sum();
      List<ParameterTable.Row> rows = ParameterTable.rows(c, lc);
      assertEquals(weights, rows.stream().mapToLong(ParameterTable.Row::parameters).sum());
      assertEquals(a.parameterCount(), rows.stream().mapToLong(ParameterTable.Row::lora).sum());
      for (ParameterTable.Row r : rows) {
        long own = model.weights().entrySet().stream()
            .filter(e -> e.getKey().endsWith("." + r.module() + ".weight")).mapToLong(e -> e.getValue().size()).sum();
        if (c.blockLinearShapes().containsKey(r.module())) {
          assertEquals(own, r.parameters(), r.module());
        }
      }
    }
  }
}
