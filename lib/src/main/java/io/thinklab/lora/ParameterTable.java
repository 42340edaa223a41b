package io.thinklab.lora;

import io.thinklab.model.LlamaConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Where a Llama model's parameters are, module by module, and what a LoRA config adds: the table a learner reads
 * before fine-tuning ("a 3 B model, and I train 8 M of it?"). Computed from the config alone, so it works for a
 * model too big to load (Nanbeige4-3B on a laptop) as well as for the tiny thinker.
 *
 * <p>Rows: the embedding, each linear module of a block ({@code q_proj} … {@code down_proj}), the two RMSNorms of
 * a block, the final norm, and the LM head (absent when tied). Columns: the weight shape, how many copies
 * (layers), the frozen total, its share of the model, and LoRA's trainable {@code r·(in + out)} per copy times the
 * copies for a targeted module.
 */
public final class ParameterTable {
  private ParameterTable() {}

  /** One row of the table. */
  public record Row(String module, String shape, int copies, long parameters, long lora) {}

  /** The rows for {@code model}, with LoRA's trainable counts for {@code lora} (null: no adapter). */
  public static List<Row> rows(LlamaConfig model, LoraConfig lora) {
    List<Row> rows = new ArrayList<>();
    int h = model.hiddenSize();
    int layers = model.numLayers();
    // trainable token rows (PEFT's trainable_token_indices) train n of the embedding's rows
    long tokenRows = lora == null ? 0 : (long) lora.trainableTokenIndices().size() * h;
    rows.add(new Row("embed_tokens", "[" + model.vocabSize() + ", " + h + "]", 1, model.embeddingParameters(),
        tokenRows));
    for (Map.Entry<String, int[]> e : model.blockLinearShapes().entrySet()) {
      int[] s = e.getValue();
      boolean targeted = lora != null && lora.targetModules().contains(e.getKey());
      rows.add(new Row(e.getKey(), "[" + s[0] + ", " + s[1] + "]", layers, (long) layers * s[0] * s[1],
          targeted ? (long) layers * lora.r() * (s[0] + s[1]) : 0));
    }
    rows.add(new Row("input_layernorm + post_attention_layernorm", "2 × [" + h + "]", layers, 2L * layers * h, 0));
    rows.add(new Row("norm (final)", "[" + h + "]", 1, h, 0));
    if (!model.tieWordEmbeddings()) {
      rows.add(new Row("lm_head", "[" + model.vocabSize() + ", " + h + "]", 1, model.embeddingParameters(), 0));
    }
    return rows;
  }

  /**
   * The rows as a table with a total row; {@code % of model} is each module's share of all frozen parameters.
   * The totals equal {@link LlamaConfig#totalParameters()} and {@link LoraConfig#trainableParameters(LlamaConfig)}.
   */
  public static Table of(String title, LlamaConfig model, LoraConfig lora) {
    List<Row> rows = rows(model, lora);
    long total = rows.stream().mapToLong(Row::parameters).sum();
    long trainable = rows.stream().mapToLong(Row::lora).sum();
    StringColumn module = StringColumn.create("module");
    StringColumn shape = StringColumn.create("shape [out, in]");
    IntColumn copies = IntColumn.create("copies");
    LongColumn params = LongColumn.create("parameters");
    DoubleColumn share = DoubleColumn.create("% of model");
    LongColumn loraCol = LongColumn.create("LoRA trainable");
    for (Row r : rows) {
      module.append(r.module());
      shape.append(r.shape());
      copies.append(r.copies());
      params.append(r.parameters());
      share.append(Math.round(10000.0 * r.parameters() / total) / 100.0);
      loraCol.append(r.lora());
    }
    module.append("total");
    shape.append("");
    copies.append(model.numLayers());
    params.append(total);
    share.append(100.0);
    loraCol.append(trainable);
    return Table.create(title, module, shape, copies, params, share, loraCol);
  }
}
