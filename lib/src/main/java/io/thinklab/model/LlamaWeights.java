package io.thinklab.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.thinklab.safetensors.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The weights of a Llama model by their Hugging Face names ({@code model.layers.0.self_attn.q_proj.weight} …): which
 * a config needs, their shapes, and where they come from (a checkpoint folder, or a random start as Transformers
 * initialises one). {@link LlamaModel#load} and {@link LlamaModel#random} use it; a LoRA adapter finds its modules
 * by these names.
 */
public final class LlamaWeights {
  private LlamaWeights() {}

  /** Transformers' default {@code initializer_range}: weights start as N(0, 0.02²). */
  public static final double INIT_STD = 0.02;

  /** Hugging Face names of every weight this config needs, in checkpoint order. */
  public static List<String> names(LlamaConfig c) {
    List<String> names = new ArrayList<>();
    names.add("model.embed_tokens.weight");
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      names.add(p + "input_layernorm.weight");
      for (String m : c.blockLinearShapes().keySet()) {
        names.add(p + moduleGroup(m) + m + ".weight");
      }
      names.add(p + "post_attention_layernorm.weight");
    }
    names.add("model.norm.weight");
    if (!c.tieWordEmbeddings()) {
      names.add("lm_head.weight");
    }
    return names;
  }

  /** Where Hugging Face nests each linear layer: {@code "self_attn."} for q/k/v/o, {@code "mlp."} for the MLP. */
  public static String moduleGroup(String module) {
    return switch (module) {
      case "q_proj", "k_proj", "v_proj", "o_proj" -> "self_attn.";
      case "gate_proj", "up_proj", "down_proj" -> "mlp.";
      default -> throw new IllegalArgumentException("'" + module + "' is not a Llama linear module"
          + " (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)");
    };
  }

  /** The path of linear module {@code module} of block {@code layer}: {@code model.layers.3.mlp.up_proj}. */
  public static String modulePath(int layer, String module) {
    return "model.layers." + layer + "." + moduleGroup(module) + module;
  }

  /**
   * A Hugging Face folder's weights ({@code config.json} + safetensors, sharded or not), in {@code dtype}, owned by
   * {@code m}. bf16 checkpoints are widened in Java (exact), then narrowed to fp16 if asked.
   */
  static Map<String, NDArray> load(Path dir, LlamaConfig config, DataType dtype, NDManager m) {
    Checkpoint ckpt = Checkpoint.open(dir);
    Map<String, NDArray> w = new LinkedHashMap<>();
    for (String name : names(config)) {
      if (!ckpt.contains(name)) {
        throw new IllegalArgumentException(dir + ": checkpoint lacks '" + name + "'");
      }
      NDArray a = ckpt.load(name, m, dtype);
      a.setName(name);
      w.put(name, a);
    }
    for (String name : ckpt.names()) { // optional biases (attention_bias: true)
      if (name.endsWith("_proj.bias")) {
        w.put(name, ckpt.load(name, m, dtype));
      }
    }
    for (String name : names(config)) {
      Shape want = new Shape(shape(config, name));
      if (!w.get(name).getShape().equals(want)) {
        throw new IllegalArgumentException(dir + ": '" + name + "' has shape " + w.get(name).getShape()
            + " but config.json implies " + want);
      }
    }
    return w;
  }

  /**
   * Random weights as Transformers initialises them: linear and embedding weights N(0, 0.02²), norm weights 1. Drawn
   * in Java from {@code seed}, so they are the same on every device.
   */
  static Map<String, NDArray> random(LlamaConfig config, DataType dtype, NDManager m, long seed) {
    Random rnd = new Random(seed);
    Map<String, NDArray> w = new LinkedHashMap<>();
    for (String name : names(config)) {
      long[] shape = shape(config, name);
      int n = Math.toIntExact(new Shape(shape).size());
      float[] v = new float[n];
      boolean norm = name.endsWith("norm.weight");
      for (int i = 0; i < n; i++) {
        v[i] = norm ? 1f : (float) (rnd.nextGaussian() * INIT_STD);
      }
      NDArray a = Ops.owned(m, v, new Shape(shape));
      if (dtype != DataType.FLOAT32) {
        NDArray cast = a.toType(dtype, false);
        a.close();
        a = cast;
      }
      a.setName(name);
      w.put(name, a);
    }
    return w;
  }

  /**
   * Random weights drawn by the engine on {@code m}'s device (N(0, 0.02²), norms 1), in seconds even at 3.9 B
   * parameters. The values depend on the engine and device: for benchmarks and memory checks, never golden numbers.
   */
  static Map<String, NDArray> randomOnDevice(LlamaConfig config, DataType dtype, NDManager m, long seed) {
    Engine.getInstance().setRandomSeed((int) seed);
    Map<String, NDArray> w = new LinkedHashMap<>();
    for (String name : names(config)) {
      Shape shape = new Shape(shape(config, name));
      NDArray a = name.endsWith("norm.weight") ? m.ones(shape, dtype) : randomNormal(m, shape, dtype);
      a.setName(name);
      w.put(name, a);
    }
    return w;
  }

  // bf16 is drawn in fp32 and rounded: DJL's random sampling has no bf16 (see NativeOps.requireBf16)
  private static NDArray randomNormal(NDManager m, Shape shape, DataType dtype) {
    if (dtype != DataType.BFLOAT16) {
      return m.randomNormal(0f, (float) INIT_STD, shape, dtype);
    }
    try (NDArray fp32 = m.randomNormal(0f, (float) INIT_STD, shape, DataType.FLOAT32)) {
      return fp32.toType(dtype, false);
    }
  }

  /** The shape {@code config} implies for weight {@code name}. */
  public static long[] shape(LlamaConfig c, String name) {
    if (name.endsWith("norm.weight")) {
      return new long[] {c.hiddenSize()};
    }
    if (name.equals("model.embed_tokens.weight") || name.equals("lm_head.weight")) {
      return new long[] {c.vocabSize(), c.hiddenSize()};
    }
    String module = name.substring(0, name.length() - ".weight".length());
    module = module.substring(module.lastIndexOf('.') + 1); // model.layers.3.mlp.up_proj.weight -> up_proj
    int[] s = c.blockLinearShapes().get(module);
    return new long[] {s[0], s[1]};
  }
}
