package io.thinklab.parity;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.lora.LoraConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.safetensors.SafetensorsFile;
import io.thinklab.safetensors.SafetensorsWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * ThinkLab-saved LoRA adapters for the PEFT round trip, the same bytes on every machine: LoRA r 4, alpha 8 on
 * q/k/v/o with A from {@link LoraAdapter#init} and B drawn N(0, 0.1²) from a fixed seed (a fresh adapter's B = 0
 * would prove nothing), with or without trainable embedding rows for the tokens that stand for {@code <think>}
 * and {@code </think>} (ids 4 and 5, as in the tiny tokenizer), those rows moved by N(0, 0.5²) from the base's.
 *
 * <p>Run: {@code java -cp … io.thinklab.parity.PeftExport <folder>}: for each model folder {@code <folder>/model_*}
 * and each variant, writes {@code <folder>/<model>/<variant>/} (adapter_config.json + adapter_model.safetensors)
 * and, into {@code <folder>/thinklab_logits.safetensors}, ThinkLab's fp32 logits for {@code <folder>/inputs.safetensors}
 * under the key {@code <model>.<variant>}.
 */
public final class PeftExport {
  private PeftExport() {}

  /** The ids whose embedding rows the {@code think} variant trains: {@code <think>} and {@code </think>}. */
  public static final List<Integer> THINK_IDS = List.of(4, 5);
  /** The variants, by folder name. */
  public static final List<String> VARIANTS = List.of("qkvo", "qkvo_think");

  /** The LoRA of a variant. */
  public static LoraConfig lora(String variant) {
    LoraConfig c = new LoraConfig(4, 8, 0.0, List.of("q_proj", "k_proj", "v_proj", "o_proj"), false, null);
    return switch (variant) {
      case "qkvo" -> c;
      case "qkvo_think" -> c.withTrainableTokens(THINK_IDS);
      default -> throw new IllegalArgumentException("variant: one of " + VARIANTS);
    };
  }

  /**
   * The adapter of a variant for {@code model}, attached to it, its values fixed by the seed: what the round trip
   * saves. Close it after use.
   */
  public static LoraAdapter adapter(LlamaModel model, String variant) {
    LoraAdapter ad = LoraAdapter.init(model.config(), lora(variant), Device.cpu(), 11);
    model.attach(ad); // binds the token rows to copies of the base's rows
    Random r = new Random(variant.equals("qkvo") ? 12 : 13);
    for (var e : ad.tensors().entrySet()) {
      NDArray p = e.getValue();
      boolean rows = e.getKey().equals(LoraAdapter.TOKEN_ROWS);
      if (!rows && !e.getKey().endsWith("lora_B.weight")) {
        continue;
      }
      float[] v = rows ? p.toFloatArray() : new float[(int) p.getShape().size()];
      for (int i = 0; i < v.length; i++) {
        v[i] += (float) (r.nextGaussian() * (rows ? 0.5 : 0.1));
      }
      p.set(v);
    }
    return ad;
  }

  /** ThinkLab's fp32 logits (B, T, V) for the ids and mask of an inputs file. */
  public static float[] logits(LlamaModel model, SafetensorsFile inputs) {
    try (NDManager sm = model.manager().newSubManager()) {
      NDArray ids = inputs.load("input_ids", sm, DataType.INT64);
      NDArray mask = inputs.load("attention_mask", sm, DataType.INT64);
      return model.forward(ids, mask, false).toType(DataType.FLOAT32, false).toFloatArray();
    }
  }

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: PeftExport <folder with model_*/ and inputs.safetensors>");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    SafetensorsFile inputs = SafetensorsFile.open(dir.resolve("inputs.safetensors"));
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (NDManager keep = NDManager.newBaseManager(Device.cpu())) {
      for (String m : List.of("model_untied", "model_tied")) {
        try (LlamaModel model = LlamaModel.load(dir.resolve(m), DataType.FLOAT32, Device.cpu())) {
          for (String variant : VARIANTS) {
            try (LoraAdapter ad = adapter(model, variant)) {
              ad.save(dir.resolve(m).resolve(variant));
              long[] shape;
              try (NDManager sm = model.manager().newSubManager()) {
                shape = inputs.load("input_ids", sm, DataType.INT64).getShape().getShape();
              }
              int vocab = model.config().vocabSize();
              out.put(m + "." + variant, keep.create(logits(model, inputs),
                  new ai.djl.ndarray.types.Shape(shape[0], shape[1], vocab)));
              model.attach(null);
            }
          }
        }
      }
      SafetensorsWriter.write(dir.resolve("thinklab_logits.safetensors"), out,
          Map.of("producer", "io.thinklab.parity.PeftExport"));
    }
    System.out.println("wrote " + out.keySet() + " into " + dir);
  }
}
