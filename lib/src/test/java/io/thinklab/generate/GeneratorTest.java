package io.thinklab.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.lora.LoraConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.LlamaWeights;
import io.thinklab.model.Tiny;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratorTest {
  private static final GenerationConfig NO_STOP =
      new GenerationConfig(24, Sampling.greedy(), false, List.of(), Set.of(-1L));

  private static LlamaModel model() {
    return LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 7);
  }

  private static long[] prompt(int n, long seed) {
    Random r = new Random(seed);
    long[] p = new long[n];
    for (int i = 0; i < n; i++) {
      p[i] = 3 + r.nextInt(58);
    }
    return p;
  }

  @Test
  void cachedDecodingEqualsRerunningThePrefix() {
    try (LlamaModel m = model()) {
      Generator g = Generator.of(m, CharCodec.chars(), NO_STOP.maxNewTokens(40));
      for (long seed = 1; seed <= 3; seed++) {
        List<long[]> p = List.of(prompt(6 + (int) seed, seed));
        long[] cached = g.generateIds(p, TokenListener.none()).get(0).ids();
        long[] full = g.withoutCache().generateIds(p, TokenListener.none()).get(0).ids();
        assertEquals(40, cached.length);
        assertArrayEquals(full, cached, "seed " + seed);
      }
    }
  }

  @Test
  void leftPaddedBatchGivesTheTokensOfEachPromptAlone() {
    try (LlamaModel m = model()) {
      Generator g = Generator.of(m, CharCodec.chars(), NO_STOP);
      List<long[]> prompts = List.of(prompt(3, 11), prompt(9, 12), prompt(5, 13));
      List<Generation> batch = g.generateIds(prompts, TokenListener.none());
      for (int i = 0; i < prompts.size(); i++) {
        long[] alone = g.generateIds(List.of(prompts.get(i)), TokenListener.none()).get(0).ids();
        assertArrayEquals(alone, batch.get(i).ids(), "prompt " + i);
      }
    }
  }

  @Test
  void samplingIsReproducibleBySeed() {
    try (LlamaModel m = model()) {
      Generator a = Generator.of(m, CharCodec.chars(), NO_STOP.sampling(Sampling.of(1.0, 20, 0.95, 42)));
      Generator b = a.with(NO_STOP.sampling(Sampling.of(1.0, 20, 0.95, 43)));
      List<long[]> p = List.of(prompt(5, 1));
      long[] first = a.generateIds(p, TokenListener.none()).get(0).ids();
      assertArrayEquals(first, a.generateIds(p, TokenListener.none()).get(0).ids());
      assertFalse(java.util.Arrays.equals(first, b.generateIds(p, TokenListener.none()).get(0).ids()),
          "another seed should draw other tokens from a near-uniform random model");
    }
  }

  @Test
  void baseUnmergedAdapterAndMergedAgree() {
    LoraConfig lc = new LoraConfig(4, 8, 0.0, List.of("q_proj", "v_proj", "down_proj"), false, null);
    List<long[]> p = List.of(prompt(6, 5), prompt(4, 6));
    try (LlamaModel base = model(); LlamaModel merged = model();
         LoraAdapter fresh = LoraAdapter.init(Tiny.config(), lc, Device.cpu(), 3);
         LoraAdapter trained = LoraAdapter.init(Tiny.config(), lc, Device.cpu(), 3)) {
      Generator gb = Generator.of(base, CharCodec.chars(), NO_STOP);
      List<Generation> plain = gb.generateIds(p, TokenListener.none());
      base.attach(fresh); // B = 0: the update is exactly zero
      assertSame(plain, gb.generateIds(p, TokenListener.none()), "base + fresh adapter");
      Random r = new Random(9);
      for (NDArray t : trained.parameters()) { // a "trained" adapter: every weight non-zero
        float[] v = new float[(int) t.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (r.nextGaussian() * 0.5);
        }
        t.set(v);
      }
      base.attach(trained);
      List<Generation> unmerged = gb.generateIds(p, TokenListener.none());
      assertFalse(java.util.Arrays.equals(plain.get(0).ids(), unmerged.get(0).ids()), "the adapter changes outputs");
      trained.mergeInto(merged);
      assertSame(unmerged, Generator.of(merged, CharCodec.chars(), NO_STOP).generateIds(p, TokenListener.none()),
          "merged vs unmerged");
    }
  }

  private static void assertSame(List<Generation> want, List<Generation> got, String what) {
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i).ids(), got.get(i).ids(), what + ", prompt " + i);
    }
  }

  @Test
  void liveArrayCountStaysConstantWhileDecoding() {
    try (LlamaModel m = model()) {
      List<Integer> counts = new ArrayList<>();
      Generator g = Generator.of(m, CharCodec.chars(), NO_STOP.maxNewTokens(60));
      g.generateIds(List.of(prompt(5, 1), prompt(8, 2)),
          (s, id, text) -> counts.add(m.manager().getManagedArrays().size()));
      assertEquals(120, counts.size());
      for (int i = 4; i < counts.size(); i++) {
        assertEquals(counts.get(2), counts.get(i), "arrays alive at callback " + i + ": " + counts);
      }
      int afterwards = m.manager().getManagedArrays().size();
      assertEquals(LlamaWeights.names(Tiny.config()).size(), afterwards, "the cache is freed");
    }
  }

  @Test
  void stopReasonsAreReportedPerSample() {
    try (LlamaModel m = model()) {
      long[] p = prompt(4, 3);
      // every token decodes to </think>: the second one is a loop the seed's rule ends
      Generation loop = Generator.of(m, CharCodec.pieces(id -> "</think>"), NO_STOP.thinkStop(true))
          .generateIds(List.of(p), TokenListener.none()).get(0);
      assertEquals(StopReason.THINK_LOOP, loop.reason());
      assertEquals("</think>", loop.text());
      assertTrue(loop.toHtml().contains("&lt;/think&gt;</pre><p><b>stop:</b> think_loop"), loop.toHtml());
      assertEquals(1, loop.thinkCloseToken());
      // a user stop string is cut off
      Generation stop = Generator.of(m, CharCodec.pieces(id -> "ab"), NO_STOP.stopStrings(List.of("ba")))
          .generateIds(List.of(p), TokenListener.none()).get(0);
      assertEquals(StopReason.STOP_STRING, stop.reason());
      assertEquals("a", stop.text());
      // EOS: every id is an end-of-sequence id
      Set<Long> all = new java.util.HashSet<>();
      for (long i = 0; i < 61; i++) {
        all.add(i);
      }
      GenerationConfig eos = new GenerationConfig(10, Sampling.greedy(), true, List.of(), all);
      Generation e = Generator.of(m, CharCodec.chars(), eos).generateIds(List.of(p), TokenListener.none()).get(0);
      assertEquals(StopReason.EOS, e.reason());
      assertEquals(0, e.newTokens());
      Generation budget = Generator.of(m, CharCodec.chars(), NO_STOP.maxNewTokens(7))
          .generateIds(List.of(p), TokenListener.none()).get(0);
      assertEquals(StopReason.MAX_NEW_TOKENS, budget.reason());
      assertEquals(7, budget.newTokens());
    }
  }

  @Test
  void streamingDeliversTheTextInOrder() {
    try (LlamaModel m = model()) {
      StringBuilder streamed = new StringBuilder();
      Generation g = Generator.of(m, CharCodec.chars(), NO_STOP)
          .generate("abc", (s, id, text) -> streamed.append(text));
      assertEquals(g.text(), streamed.toString());
      assertTrue(g.text().length() > 0);
      java.util.Map<Integer, String> shown = new java.util.HashMap<>();
      List<Generation> two = Generator.of(m, CharCodec.chars(), NO_STOP)
          .generate(List.of("abc", "hello"), TokenListener.textSoFar(shown::put));
      assertEquals(two.get(0).text(), shown.get(0));
      assertEquals(two.get(1).text(), shown.get(1));
    }
  }
}
