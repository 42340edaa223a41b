package io.thinklab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The keys and values every layer has already computed, so that decoding one more token runs the model on
 * that token alone instead of on the whole prefix (a key/value cache).
 *
 * <p>Per layer it holds K and V of shape (B, nkv, S, hd) after rotary positions, before the GQA repeat. Use
 * one cache per batch of prompts: {@link LlamaModel#forwardCached} appends the new positions each call. The
 * cache owns its arrays in its own manager (a sub-manager of the model's); each call replaces a layer's
 * arrays with longer ones and frees the old, so the number of live arrays stays constant while decoding.
 * Close it when the batch is done.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final NDArray[] pendingKeys;
  private final NDArray[] pendingValues;
  private long length;

  private KvCache(LlamaModel model) {
    int layers = model.config().numLayers();
    this.manager = model.manager().newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.pendingKeys = new NDArray[layers];
    this.pendingValues = new NDArray[layers];
  }

  /** An empty cache for {@code model}. */
  public static KvCache create(LlamaModel model) {
    return new KvCache(model);
  }

  /** Positions cached so far (including left padding): the key length the next call attends over first. */
  public long length() {
    return length;
  }

  /**
   * K and V of layer {@code layer} extended by this call's {@code k}, {@code v} (B, nkv, T, hd); the result
   * lives in the step's manager until {@link #commit} moves it into the cache.
   */
  NDArray[] extend(int layer, NDArray k, NDArray v) {
    NDArray fullK = k;
    NDArray fullV = v;
    if (keys[layer] != null) {
      NDManager step = k.getManager();
      keys[layer].attach(step);   // the old arrays are freed with the step's manager
      values[layer].attach(step);
      fullK = keys[layer].concat(k, 2);   // (B, nkv, S+T, hd), in the step's manager
      fullV = values[layer].concat(v, 2);
    }
    pendingKeys[layer] = fullK;
    pendingValues[layer] = fullV;
    return new NDArray[] {fullK, fullV};
  }

  /** Moves this call's K/V into the cache's manager (they outlive the step) and advances the length by {@code t}. */
  void commit(long t) {
    for (int i = 0; i < keys.length; i++) {
      pendingKeys[i].attach(manager);
      pendingValues[i].attach(manager);
      keys[i] = pendingKeys[i];
      values[i] = pendingValues[i];
      pendingKeys[i] = null;
      pendingValues[i] = null;
    }
    length += t;
  }

  @Override
  public void close() {
    manager.close();
  }
}
