package io.thinklab.lora;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.thinklab.model.Adapter;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.LlamaWeights;
import io.thinklab.model.Ops;
import io.thinklab.safetensors.SafetensorsFile;
import io.thinklab.safetensors.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The trainable half of LoRA fine-tuning: one pair of low-rank matrices per targeted linear layer.
 *
 * <p>For a layer {@code W [out, in]}: {@code A [r, in]} starts Kaiming-uniform with a = √5, i.e.
 * U(−1/√in, 1/√in) (PyTorch's default for a linear layer, which PEFT keeps), and {@code B [out, r]} starts at
 * zero, so a new adapter leaves the model unchanged. The update added to the layer's output is
 * {@code Δy = scaling · (dropout(x)·Aᵀ)·Bᵀ}. A and B are fp32 "masters" whatever the base dtype: the
 * adapter's input is cast to fp32 (differentiably) and its output cast back, as PEFT does.
 *
 * <p>Modules are keyed by their path inside the model, {@code model.layers.{i}.self_attn.q_proj}; on disk
 * PEFT prefixes {@code base_model.model.} and suffixes {@code .lora_A.weight} / {@code .lora_B.weight}.
 *
 * <p>Optionally ({@link LoraConfig#trainableTokenIndices()}, PEFT's {@code trainable_token_indices}) the embedding
 * rows of a few tokens train too: {@code trainable_tokens_delta [n, H]} holds their new rows (fp32), which
 * replace the base's rows in the embedding and, for tied models, in the LM head. They start as copies of the
 * base's rows ({@link #bind}), so a new adapter still leaves the model unchanged.
 */
public final class LoraAdapter implements Adapter, AutoCloseable {
  /** The weights file PEFT reads and writes. */
  public static final String WEIGHTS = "adapter_model.safetensors";
  private static final String PREFIX = "base_model.model.";

  private final LoraConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> a = new LinkedHashMap<>(); // module path -> A (r, in)
  private final Map<String, NDArray> b = new LinkedHashMap<>(); // module path -> B (out, r)
  private NDArray tokenRows;                                    // (n, H) fp32: the trainable tokens' rows, or null
  /** PEFT's name for the trainable token rows. */
  public static final String TOKEN_ROWS = PREFIX + "model.embed_tokens.token_adapter.trainable_tokens_delta";

  private LoraAdapter(LoraConfig config, NDManager manager) {
    this.config = config;
    this.manager = manager;
  }

  /** Module paths this config adapts on a model, layer by layer in {@code targetModules} order. */
  public static List<String> modulePaths(LlamaConfig model, LoraConfig config) {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < model.numLayers(); i++) {
      for (String m : config.targetModules()) {
        paths.add(LlamaWeights.modulePath(i, m));
      }
    }
    return paths;
  }

  /**
   * A fresh adapter as PEFT initialises one ({@code init_lora_weights=True}): A Kaiming-uniform(a=√5),
   * B zeros. Drawn in Java from {@code seed}: the same numbers on every device.
   */
  public static LoraAdapter init(LlamaConfig model, LoraConfig config, Device device, long seed) {
    LoraAdapter ad = new LoraAdapter(config, NDManager.newBaseManager(device));
    Random rnd = new Random(seed);
    for (String path : modulePaths(model, config)) {
      int[] shape = model.blockLinearShapes().get(path.substring(path.lastIndexOf('.') + 1));
      int out = shape[0];
      int in = shape[1];
      // kaiming_uniform_(a=√5): gain = √(2/(1+a²)) = √(1/3); bound = gain·√(3/fan_in) = 1/√in.
      double bound = 1.0 / Math.sqrt(in);
      float[] av = new float[config.r() * in];
      for (int k = 0; k < av.length; k++) {
        av[k] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
      }
      ad.put(path, Ops.owned(ad.manager, av, new Shape(config.r(), in)),
          ad.manager.zeros(new Shape(out, config.r()), DataType.FLOAT32));
    }
    return ad;
  }

  private void put(String path, NDArray aw, NDArray bw) {
    aw.setName(PREFIX + path + ".lora_A.weight");
    bw.setName(PREFIX + path + ".lora_B.weight");
    aw.setRequiresGradient(true);
    bw.setRequiresGradient(true);
    a.put(path, aw);
    b.put(path, bw);
  }

  public LoraConfig config() {
    return config;
  }

  /** Whether this adapter adapts modules of this HF name (e.g. {@code q_proj}). */
  @Override
  public boolean adapts(String module) {
    return config.targetModules().contains(module);
  }

  /**
   * The low-rank update for one module: {@code scaling · (dropout(x)·Aᵀ)·Bᵀ}, computed in fp32.
   *
   * @param path     module path, e.g. {@code model.layers.0.self_attn.q_proj}
   * @param x        the layer's input (…, in), any float dtype
   * @param training whether dropout is active
   * @return (…, out) in fp32
   */
  @Override
  public NDArray delta(String path, NDArray x, boolean training) {
    NDArray aw = a.get(path);
    if (aw == null) {
      throw new IllegalArgumentException("adapter has no module '" + path + "'");
    }
    NDArray h = Ops.dropout(Ops.cast(x, DataType.FLOAT32), config.dropout(), training); // (…, in)
    return Ops.scale(Ops.linear(Ops.linear(h, aw, null), b.get(path), null), config.scaling()); // (…, r)->(…, out)
  }

  /** Whether this adapter trains embedding rows of some tokens (they replace the base's rows). */
  @Override
  public boolean replacesEmbeddingRows() {
    return !config.trainableTokenIndices().isEmpty();
  }

  /**
   * Gives the trainable token rows their starting values, copies of the base's rows in {@code table}
   * (V, H); a loaded adapter keeps its own. {@link LlamaModel#attach} calls it.
   */
  @Override
  public void bind(NDArray table) {
    if (!replacesEmbeddingRows() || tokenRows != null) {
      return;
    }
    long v = table.getShape().get(0);
    float[] all = table.toType(DataType.FLOAT32, false).toFloatArray();
    int h = (int) table.getShape().get(1);
    List<Integer> idx = config.trainableTokenIndices();
    float[] rows = new float[idx.size() * h];
    for (int k = 0; k < idx.size(); k++) {
      if (idx.get(k) >= v) {
        throw new IllegalArgumentException("trainable token id " + idx.get(k) + " is outside the vocabulary (" + v + ")");
      }
      System.arraycopy(all, idx.get(k) * h, rows, k * h, h);
    }
    tokenRows = Ops.owned(manager, rows, new Shape(idx.size(), h));
    tokenRows.setName(TOKEN_ROWS);
    tokenRows.setRequiresGradient(true);
  }

  /**
   * The embedding table with the trainable tokens' rows put in: {@code table ⊙ keep + S·rows}, where
   * {@code S (V, n)} selects each token's row and {@code keep} zeroes the base's. Differentiable in the rows;
   * built in {@code sm} (a step manager), in the table's dtype.
   */
  @Override
  public NDArray embeddingTable(NDArray table, NDManager sm) {
    if (tokenRows == null) {
      return table;
    }
    int v = (int) table.getShape().get(0);
    List<Integer> idx = config.trainableTokenIndices();
    float[] keep = new float[v];
    java.util.Arrays.fill(keep, 1f);
    float[] select = new float[v * idx.size()];
    for (int k = 0; k < idx.size(); k++) {
      keep[idx.get(k)] = 0f;
      select[idx.get(k) * idx.size() + k] = 1f;
    }
    NDArray rows = sm.create(select, new Shape(v, idx.size())).matMul(tokenRows);           // (V, H) fp32
    return sm.create(keep, new Shape(v, 1)).toType(table.getDataType(), false).mul(table)
        .add(Ops.cast(rows, table.getDataType()));
  }

  /** The trainable arrays, A then B for each module in order: what the optimiser updates. */
  public List<NDArray> parameters() {
    List<NDArray> p = new ArrayList<>();
    for (String path : a.keySet()) {
      p.add(a.get(path));
      p.add(b.get(path));
    }
    if (tokenRows != null) {
      p.add(tokenRows);
    }
    return p;
  }

  /** The arrays by PEFT tensor name ({@code base_model.model.….lora_A.weight}). */
  public Map<String, NDArray> tensors() {
    Map<String, NDArray> m = new LinkedHashMap<>();
    parameters().forEach(p -> m.put(p.getName(), p));
    return Collections.unmodifiableMap(m);
  }

  /** Number of trainable scalars (token rows included once they are bound to a model). */
  public long parameterCount() {
    return parameters().stream().mapToLong(p -> p.getShape().size()).sum();
  }

  /**
   * Folds the update into the base weights, {@code W ← W + scaling · B·A} (computed in fp32, then cast to
   * the base dtype), and detaches the adapter: the merged model runs at base speed with the adapter's effect.
   */
  public void mergeInto(LlamaModel model) {
    for (String path : a.keySet()) {
      NDArray w = model.weights().get(path + ".weight");
      try (NDManager tmp = manager.newSubManager()) {
        NDArray delta = b.get(path).matMul(a.get(path)).mul(config.scaling()); // (out, in) fp32
        delta.attach(tmp);
        NDArray merged = w.toType(DataType.FLOAT32, false).add(delta).toType(w.getDataType(), false);
        merged.attach(tmp);
        w.set(merged.toByteBuffer());
      }
    }
    if (tokenRows != null) { // the trainable tokens' rows replace the base's (tied heads share them)
      NDArray table = model.weights().get("model.embed_tokens.weight");
      try (NDManager tmp = manager.newSubManager()) {
        NDArray merged = embeddingTable(table, tmp);
        table.set(merged.toByteBuffer());
      }
    }
    model.attach(null);
  }

  /** Saves {@code adapter_config.json} and {@code adapter_model.safetensors} (fp32) into {@code dir}, as PEFT does. */
  public void save(Path dir) {
    config.write(dir);
    SafetensorsWriter.write(dir.resolve(WEIGHTS), tensors(), Map.of("format", "pt"));
  }

  /**
   * Loads an adapter saved by ThinkLab or PEFT for a model of this shape: the keys must be exactly the ones
   * the config implies and every shape must match, or the error names what differs.
   */
  public static LoraAdapter load(Path dir, LlamaConfig model, Device device) {
    LoraConfig config = LoraConfig.read(dir);
    Path file = dir.resolve(WEIGHTS);
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(dir + ": no " + WEIGHTS);
    }
    SafetensorsFile f = SafetensorsFile.open(file);
    LoraAdapter ad = new LoraAdapter(config, NDManager.newBaseManager(device));
    try {
      List<String> expected = new ArrayList<>();
      for (String path : modulePaths(model, config)) {
        int[] s = model.blockLinearShapes().get(path.substring(path.lastIndexOf('.') + 1));
        NDArray aw = loadChecked(f, PREFIX + path + ".lora_A.weight", new Shape(config.r(), s[1]), ad.manager);
        NDArray bw = loadChecked(f, PREFIX + path + ".lora_B.weight", new Shape(s[0], config.r()), ad.manager);
        expected.add(aw.getName());
        expected.add(bw.getName());
        ad.put(path, aw, bw);
      }
      if (ad.replacesEmbeddingRows()) {
        NDArray rows = loadChecked(f, TOKEN_ROWS, new Shape(config.trainableTokenIndices().size(),
            model.hiddenSize()), ad.manager);
        rows.setRequiresGradient(true);
        ad.tokenRows = rows;
        expected.add(TOKEN_ROWS);
      }
      List<String> extra = new ArrayList<>(f.names());
      extra.removeAll(expected);
      if (!extra.isEmpty()) {
        throw new IllegalArgumentException(file + ": tensors the config does not explain: "
            + extra.subList(0, Math.min(3, extra.size())) + (extra.size() > 3 ? " …" : ""));
      }
    } catch (RuntimeException e) {
      ad.close();
      throw e;
    }
    return ad;
  }

  private static NDArray loadChecked(SafetensorsFile f, String name, Shape want, NDManager m) {
    if (!f.tensors().containsKey(name)) {
      throw new IllegalArgumentException(f.path() + ": missing '" + name + "'");
    }
    Shape got = new Shape(f.info(name).shape());
    if (!got.equals(want)) {
      throw new IllegalArgumentException(f.path() + ": '" + name + "' has shape " + got + ", expected " + want);
    }
    NDArray x = f.load(name, m, DataType.FLOAT32);
    x.setName(name);
    return x;
  }

  @Override
  public void close() {
    manager.close();
  }
}
