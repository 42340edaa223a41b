package io.thinklab.course;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.curves.EvalPoint;
import io.thinklab.data.Triplet;
import io.thinklab.generate.Sampling;
import io.thinklab.generate.TinyModelDir;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.lora.LoraConfig;
import io.thinklab.safetensors.SafetensorsFile;
import io.thinklab.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraRunTest {

  @TempDir
  Path dir;

  static List<Triplet> rows(int n, int thinkingChars) {
    List<Triplet> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Triplet.of("r" + i, i + "+1?", "a".repeat(thinkingChars), "Final answer: " + (i + 1)));
    }
    return out;
  }

  @Test
  void trainsReadsTheCurveBackAndReplacesAnEarlierRun() throws Exception {
    Path base = TinyModelDir.write(dir.resolve("base"), 3);
    TrainConfig cfg = TrainConfig.builder().batch(2, 1).epochs(1).maxSteps(4).lr(1e-2).warmupRatio(0).seed(5)
        .checkpoints(0, 1).build();
    // 3 rows of 60 thinking characters (character tokens: over 64 tokens in all) and 3 short ones, cut at 64
    List<Triplet> train = new ArrayList<>(rows(3, 60));
    train.addAll(rows(3, 5));
    LoraRun run = LoraRun.on(base).rows(train, 64).config(cfg).evalOn(rows(2, 5), 2);
    LoraRun.Result r = run.run("tiny", dir.resolve("out"));
    assertNull(r.stopped());
    assertEquals(6, r.rows());
    assertEquals(3, r.cutRows());
    assertEquals(3, r.history().steps().size()); // 6 rows in micro-batches of 2: 3 steps, one epoch
    assertEquals(List.of(2L, 3L), r.history().evals().stream().map(EvalPoint::step).toList());
    assertEquals("tiny", r.history().name());
    assertTrue(Files.exists(r.out().resolve("adapter/adapter_config.json")));
    // the default adapter trains the <think>/</think> rows (ids 3 and 4 of the character tokenizer): its config
    // lists them and the saved weights hold their [2, hidden] rows, moved away from the base's rows by training
    LoraConfig saved = LoraConfig.read(r.out().resolve("adapter"));
    assertEquals(List.of(3, 4), saved.trainableTokenIndices());
    assertEquals(8, saved.r());
    SafetensorsFile st = SafetensorsFile.open(r.out().resolve("adapter").resolve(LoraAdapter.WEIGHTS));
    assertTrue(st.names().contains(LoraAdapter.TOKEN_ROWS), st.names().toString());
    assertEquals(2 * 4 * 2 + 1, st.names().size()); // lora_A, lora_B on q/k/v/o of 2 layers, and the token rows
    int h = TinyModelDir.config().hiddenSize();
    assertArrayEquals(new long[] {2, h}, st.info(LoraAdapter.TOKEN_ROWS).shape());
    float[] rowsTrained = floats(st, LoraAdapter.TOKEN_ROWS);
    float[] table = floats(SafetensorsFile.open(base.resolve("model.safetensors")), "model.embed_tokens.weight");
    float[] baseRows = Arrays.copyOfRange(table, 3 * h, 5 * h);
    double moved = 0;
    for (int i = 0; i < baseRows.length; i++) {
      moved = Math.max(moved, Math.abs(rowsTrained[i] - baseRows[i]));
    }
    assertTrue(moved > 1e-4, "the marker rows trained: max |row - base row| = " + moved);
    long firstTokens = r.tokens();
    // the same run into the same folder replaces it (the trainer alone would refuse its checkpoints)
    LoraRun.Result again = run.run("tiny", dir.resolve("out"));
    assertEquals(3, again.history().steps().size());
    assertEquals(r.history().losses()[2], again.history().losses()[2], 0.0, "seeded: the same run");
    assertEquals(firstTokens, again.tokens());
    // and the finished run evaluates from its folder (its adapter on the base named in adapter_config.json)
    var e = LoraRun.evaluate("tiny", r.out(), rows(2, 5), 8);
    assertEquals(2, e.problems());
    assertTrue(Double.isFinite(e.evalLoss()));
    // sampled at temperature 1 from a seed: the same numbers twice, the same held-out loss as greedy
    var s1 = LoraRun.evaluate("tiny", r.out(), rows(2, 5), 8, Sampling.of(1.0, 0, 1.0, 7));
    var s2 = LoraRun.evaluate("tiny", r.out(), rows(2, 5), 8, Sampling.of(1.0, 0, 1.0, 7));
    assertEquals(e.evalLoss(), s1.evalLoss(), 1e-6);
    assertEquals(s1.meanThinkingTokens(), s2.meanThinkingTokens(), 0.0);
    // a caller's config keeps its own trainable tokens (here none: plain LoRA, no token-rows tensor)
    LoraRun.Result plain = LoraRun.on(base).rows(train, 64).config(cfg)
        .lora(new LoraConfig(4, 8, 0.0, List.of("q_proj", "v_proj"), false, "elsewhere"))
        .run("plain", dir.resolve("plain"));
    LoraConfig plainSaved = LoraConfig.read(plain.out().resolve("adapter"));
    assertEquals(List.of(), plainSaved.trainableTokenIndices());
    assertEquals(base.toAbsolutePath().toString(), plainSaved.baseModelNameOrPath());
    assertEquals(2 * 2 * 2, SafetensorsFile.open(plain.out().resolve("adapter").resolve(LoraAdapter.WEIGHTS))
        .names().size()); // lora_A, lora_B on q/v of 2 layers
    LoraRun.Result kept = LoraRun.on(base).rows(train, 64).config(cfg)
        .lora(new LoraConfig(4, 8, 0.0, List.of("q_proj"), false, "x").withTrainableTokens(List.of(4)))
        .run("kept", dir.resolve("kept"));
    assertEquals(List.of(4), LoraConfig.read(kept.out().resolve("adapter")).trainableTokenIndices());
    // a folder that holds something else is never deleted
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("notes.txt"), "mine");
    var err = assertThrows(IllegalArgumentException.class, () -> run.run("tiny", other));
    assertTrue(err.getMessage().contains("holds no earlier run"), err.getMessage());
    assertTrue(Files.exists(other.resolve("notes.txt")));
  }

  static float[] floats(SafetensorsFile f, String name) {
    java.nio.FloatBuffer b = f.bytes(name).asFloatBuffer();
    float[] v = new float[b.remaining()];
    b.get(v);
    return v;
  }
}
