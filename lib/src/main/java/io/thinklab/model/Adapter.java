package io.thinklab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * What {@link LlamaModel} asks of an adapter attached to it ({@link LlamaModel#attach}): an update added to the
 * output of some linear layers, and optionally some rows of the embedding table replaced. The model knows nothing
 * else about it: LoRA ({@code io.thinklab.lora.LoraAdapter}) is one implementation, and the base weights stay frozen
 * and untouched, as PEFT's adapters leave them (torchtune's {@code AdapterModule} protocol plays the same part).
 *
 * <p>For a linear layer {@code y = x·Wᵀ}, the adapted layer computes {@code y + delta(path, x)}; for the embedding,
 * the model looks tokens up in {@link #embeddingTable} instead of its own table.
 */
public interface Adapter {

  /** Whether it adds an update to the linear layers of this Hugging Face module name ({@code q_proj} …). */
  boolean adapts(String module);

  /**
   * The update to the output of one linear layer for its input {@code x}.
   *
   * @param path     the layer's path in the model, e.g. {@code model.layers.0.self_attn.q_proj}
   * @param x        the layer's input (…, in), in the model's dtype
   * @param training whether dropout is active
   * @return (…, out) in any float dtype; the model casts it to its own and adds it
   */
  NDArray delta(String path, NDArray x, boolean training);

  /** Whether it replaces some rows of the embedding table (new tokens' rows that train). */
  boolean replacesEmbeddingRows();

  /** Called once when attached, with the model's embedding table (V, H): replaced rows may start as copies. */
  void bind(NDArray embeddingTable);

  /** The embedding table with its rows put in, built in {@code sm} (a step manager), in the table's dtype. */
  NDArray embeddingTable(NDArray table, NDManager sm);
}
