package io.thinklab.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.thinklab.model.Autograd;
import io.thinklab.model.KvCache;
import io.thinklab.model.LlamaModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Generates text from a model: prefill the prompts once, then one token per step from a key/value cache.
 *
 * <pre>
 *   Generator g = Generator.of(model, codec, GenerationConfig.defaults(eosId).maxNewTokens(300));
 *   Generation out = g.generate("User: 2+2?\nAssistant: &lt;think&gt;\n", TokenListener.print(System.out));
 *   out.reason();  // EOS, MAX_NEW_TOKENS, THINK_LOOP or STOP_STRING
 * </pre>
 *
 * <p>Batches are left-padded: every prompt ends at the same column, so each step appends one column. Real
 * tokens take positions 0, 1, … whatever their padding, and padding is masked out of attention, so a prompt
 * gives the same tokens in a batch as alone. Whatever the model runs (base, base + attached LoRA, merged),
 * generation is the same code. {@link #withoutCache()} re-runs the whole sequence each step through
 * {@link LlamaModel#forward}: the reference the cache is tested against, and the benchmark's baseline.
 *
 * <p>Memory: each forward runs in its own sub-manager of the model's, closed before the next step; the
 * cache keeps 2 arrays per layer. The live array count is constant while decoding (tested).
 */
public final class Generator {
  private static final long PAD = 0;

  private final LlamaModel model;
  private final TextCodec codec;
  private final GenerationConfig config;
  private final boolean cached;

  private Generator(LlamaModel model, TextCodec codec, GenerationConfig config, boolean cached) {
    this.model = model;
    this.codec = codec;
    this.config = config;
    this.cached = cached;
  }

  /** A cached generator for {@code model} with {@code codec} and {@code config}. */
  public static Generator of(LlamaModel model, TextCodec codec, GenerationConfig config) {
    return new Generator(model, codec, config, true);
  }

  /** The same generator re-running the full sequence every step (no cache; unpadded batches only). */
  public Generator withoutCache() {
    return new Generator(model, codec, config, false);
  }

  /** The same generator with another config. */
  public Generator with(GenerationConfig c) {
    return new Generator(model, codec, c, cached);
  }

  public GenerationConfig config() {
    return config;
  }

  /** One prompt, streamed to {@code listener}. */
  public Generation generate(String prompt, TokenListener listener) {
    return generate(List.of(prompt), listener).get(0);
  }

  /** A batch of prompts. */
  public List<Generation> generate(List<String> prompts, TokenListener listener) {
    return generateIds(prompts.stream().map(codec::encode).toList(), listener);
  }

  /**
   * A batch of already tokenized prompts (each at least one token). Runs with autograd paused: an adapter's
   * trainable weights would otherwise make every decoding step record a graph ({@link Autograd#pause}).
   */
  public List<Generation> generateIds(List<long[]> prompts, TokenListener listener) {
    try (Autograd.Paused p = Autograd.pause()) {
      return decode(prompts, listener);
    }
  }

  private List<Generation> decode(List<long[]> prompts, TokenListener listener) {
    int b = prompts.size();
    int width = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
    if (prompts.stream().anyMatch(p -> p.length == 0)) {
      throw new IllegalArgumentException("empty prompt: encode at least one token (a BOS)");
    }
    if (!cached && prompts.stream().anyMatch(p -> p.length != width)) {
      throw new IllegalArgumentException("without the cache, prompts must have equal lengths (no padding)");
    }
    int total = width + config.maxNewTokens();
    long[][] seq = new long[b][total];  // left-padded prompt, then generated tokens
    long[][] mask = new long[b][total];
    int[] offset = new int[b];          // padding columns of each row
    for (int r = 0; r < b; r++) {
      long[] p = prompts.get(r);
      offset[r] = width - p.length;
      System.arraycopy(p, 0, seq[r], offset[r], p.length);
      Arrays.fill(mask[r], offset[r], total, 1L);
    }
    Random[] rnd = new Random[b];
    Sample[] out = new Sample[b];
    for (int r = 0; r < b; r++) {
      rnd[r] = new Random(config.sampling().seed() + r);
      out[r] = new Sample(r);
    }

    KvCache cache = cached ? KvCache.create(model) : null;
    try {
      float[][] last = step(seq, mask, offset, 0, width, cache); // prefill: logits after each prompt
      for (int n = 0; n < config.maxNewTokens(); n++) {
        int col = width + n;
        boolean any = false;
        for (int r = 0; r < b; r++) {
          if (out[r].reason == null) {
            long tok = config.sampling().pick(last[r], rnd[r]);
            out[r].accept(tok, listener);
            seq[r][col] = tok;
            any |= out[r].reason == null;
          } else {
            seq[r][col] = PAD;
          }
        }
        if (!any) {
          break;
        }
        last = cached ? step(seq, mask, offset, col, col + 1, cache) : step(seq, mask, offset, 0, col + 1, null);
      }
    } finally {
      if (cache != null) {
        cache.close();
      }
    }
    List<Generation> result = new ArrayList<>();
    for (Sample s : out) {
      result.add(s.finish());
    }
    return result;
  }

  /** Runs columns [from, to) through the model (cached: only those; uncached: from 0) → last logits per row. */
  private float[][] step(long[][] seq, long[][] mask, int[] offset, int from, int to, KvCache cache) {
    int b = seq.length;
    int t = to - from;
    long[] ids = new long[b * t];
    long[] pos = new long[b * t];
    long[] keys = new long[b * to];
    for (int r = 0; r < b; r++) {
      for (int j = 0; j < t; j++) {
        ids[r * t + j] = seq[r][from + j];
        pos[r * t + j] = Math.max(0, from + j - offset[r]);
      }
      System.arraycopy(mask[r], 0, keys, r * to, to);
    }
    try (NDManager sm = model.manager().newSubManager()) {
      NDArray idArr = sm.create(ids, new Shape(b, t));
      NDArray logits = cache != null
          ? model.forwardCached(idArr, sm.create(pos, new Shape(b, t)), sm.create(keys, new Shape(b, to)), cache)
          : model.forward(idArr, null, false);
      float[] flat = logits.get(new NDIndex(":, -1, :")).toType(DataType.FLOAT32, false).toFloatArray();
      int v = flat.length / b;
      float[][] rows = new float[b][];
      for (int r = 0; r < b; r++) {
        rows[r] = Arrays.copyOfRange(flat, r * v, (r + 1) * v);
      }
      return rows;
    }
  }

  /** One sample's state while decoding: its tokens, its text, and the stop rules applied after each token. */
  private final class Sample {
    final int index;
    final List<Long> ids = new ArrayList<>();
    String text = "";
    int emitted;
    int closeAt = -1;
    StopReason reason;

    Sample(int index) {
      this.index = index;
    }

    void accept(long tok, TokenListener listener) {
      if (config.eosIds().contains(tok)) {
        reason = StopReason.EOS;
        listener.onToken(index, tok, "");
        return;
      }
      ids.add(tok);
      String full = codec.decode(ids.stream().mapToLong(Long::longValue).toArray());
      text = full;
      if (closeAt < 0 && full.contains(ThinkStop.CLOSE)) {
        closeAt = ids.size();
      }
      int cut = config.thinkStop() ? ThinkStop.cutAt(full) : -1;
      if (cut >= 0) {
        reason = StopReason.THINK_LOOP;
        text = full.substring(0, cut);
      }
      for (String s : config.stopStrings()) {
        int at = full.indexOf(s);
        if (at >= 0 && (reason == null || at < text.length())) {
          reason = StopReason.STOP_STRING;
          text = full.substring(0, at);
        }
      }
      if (reason == null && ids.size() >= config.maxNewTokens()) {
        reason = StopReason.MAX_NEW_TOKENS;
      }
      String piece = "";
      boolean partial = !text.isEmpty() && text.charAt(text.length() - 1) == '\uFFFD' && reason == null;
      if (!partial && text.length() > emitted) {
        piece = text.substring(Math.min(emitted, text.length()));
        emitted = text.length();
      }
      listener.onToken(index, tok, piece);
    }

    Generation finish() {
      return new Generation(index, ids.stream().mapToLong(Long::longValue).toArray(), text,
          reason == null ? StopReason.MAX_NEW_TOKENS : reason, closeAt);
    }
  }
}
