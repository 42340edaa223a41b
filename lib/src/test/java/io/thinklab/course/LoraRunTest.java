package io.thinklab.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.curves.EvalPoint;
import io.thinklab.data.Triplet;
import io.thinklab.generate.TinyModelDir;
import io.thinklab.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    TrainConfig cfg = new TrainConfig(2, 1, 1, 4, 1e-2, "cosine", 0.0, 0.0, 1.0, "fp32", 5, 0, 1, false);
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
    // a folder that holds something else is never deleted
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("notes.txt"), "mine");
    var err = assertThrows(IllegalArgumentException.class, () -> run.run("tiny", other));
    assertTrue(err.getMessage().contains("holds no earlier run"), err.getMessage());
    assertTrue(Files.exists(other.resolve("notes.txt")));
  }
}
