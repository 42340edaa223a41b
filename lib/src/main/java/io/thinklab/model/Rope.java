package io.thinklab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Map;

/**
 * Rotary position embeddings (RoPE) in Hugging Face's "rotate half" layout: the head's first and second
 * halves form the pairs that rotate, {@code q' = q·cos + rotate_half(q)·sin},
 * {@code rotate_half([a, b]) = [−b, a]}, with angle {@code position · θ^(−2k/hd)} for pair k.
 * Llama 3's {@code rope_scaling} (type "llama3") stretches low frequencies for long contexts.
 */
final class Rope {
  private Rope() {}

  static float[] inverseFrequencies(LlamaConfig c) {
    int hd = c.headDim();
    float[] inv = new float[hd / 2];
    for (int k = 0; k < inv.length; k++) {
      inv[k] = (float) (1.0 / Math.pow(c.ropeTheta(), (2.0 * k) / hd));
    }
    Map<String, Object> s = c.ropeScaling();
    String type = String.valueOf(s.getOrDefault("rope_type", s.getOrDefault("type", "default")));
    switch (type) {
      case "default" -> { }
      case "linear" -> {
        double f = num(s, "factor");
        for (int k = 0; k < inv.length; k++) {
          inv[k] = (float) (inv[k] / f);
        }
      }
      case "llama3" -> llama3(inv, s);
      default -> throw new IllegalArgumentException("rope_scaling type '" + type
          + "' is not supported (supported: default, linear, llama3)");
    }
    return inv;
  }

  /**
   * Llama 3.1's frequency-dependent scaling: wavelengths longer than {@code original / low_freq_factor}
   * are divided by {@code factor}, shorter than {@code original / high_freq_factor} kept, and the band
   * in between interpolated smoothly.
   */
  private static void llama3(float[] inv, Map<String, Object> s) {
    double factor = num(s, "factor");
    double low = num(s, "low_freq_factor");
    double high = num(s, "high_freq_factor");
    double original = num(s, "original_max_position_embeddings");
    double lowWavelen = original / low;
    double highWavelen = original / high;
    for (int k = 0; k < inv.length; k++) {
      double wavelen = 2 * Math.PI / inv[k];
      double scaled = wavelen > lowWavelen ? inv[k] / factor : inv[k];
      if (wavelen <= lowWavelen && wavelen >= highWavelen) { // medium band: interpolate
        double smooth = (original / wavelen - low) / (high - low);
        scaled = (1 - smooth) * scaled / factor + smooth * scaled;
      }
      inv[k] = (float) scaled;
    }
  }

  private static double num(Map<String, Object> s, String key) {
    Object v = s.get(key);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("rope_scaling needs a numeric '" + key + "': " + s);
    }
    return n.doubleValue();
  }

  /** cos and sin tables, each (T, hd): angles for positions 0..T−1 repeated for both halves. */
  static NDArray[] cosSin(NDManager sm, float[] invFreq, long t, LlamaConfig c, DataType dtype) {
    NDArray pos = sm.arange(0f, (float) t, 1f, DataType.FLOAT32).expandDims(1);   // (T, 1)
    NDArray freqs = pos.mul(sm.create(invFreq).expandDims(0));                      // (T, hd/2)
    NDArray emb = NDArrays.concat(new NDList(freqs, freqs), 1);                     // (T, hd)
    return new NDArray[] {emb.cos().toType(dtype, false), emb.sin().toType(dtype, false)};
  }

  /** cos and sin tables (B, 1, T, hd) for explicit positions (B, T): decoding with left padding. */
  static NDArray[] cosSinAt(NDArray positions, float[] invFreq, DataType dtype) {
    NDManager sm = positions.getManager();
    NDArray pos = positions.toType(DataType.FLOAT32, false).expandDims(-1);          // (B, T, 1)
    NDArray freqs = pos.mul(sm.create(invFreq).reshape(1, 1, invFreq.length));       // (B, T, hd/2)
    NDArray emb = NDArrays.concat(new NDList(freqs, freqs), -1).expandDims(1);       // (B, 1, T, hd)
    return new NDArray[] {emb.cos().toType(dtype, false), emb.sin().toType(dtype, false)};
  }

  /** x (B, n, T, hd) rotated by position: {@code x·cos + rotate_half(x)·sin}. */
  static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    if (NativeOps.enabled()) {
      return NativeOps.rotary(x, cos, sin);
    }
    long half = x.getShape().get(3) / 2;
    NDArray x1 = x.get(new NDIndex("..., :{}", half));                             // (B, n, T, hd/2)
    NDArray x2 = x.get(new NDIndex("..., {}:", half));                             // (B, n, T, hd/2)
    NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), -1);               // (B, n, T, hd)
    return x.mul(cos).add(rotated.mul(sin));
  }
}
