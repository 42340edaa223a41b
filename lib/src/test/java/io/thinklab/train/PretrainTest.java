package io.thinklab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.data.Triplet;
import io.thinklab.model.LlamaConfig;
import io.thinklab.preflight.Preflight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainTest {

  @TempDir
  Path dir;

  /** The lab's defaults, cut to a few steps so the test takes seconds. */
  static Pretrain.Settings shortRun(int steps) {
    Pretrain.Settings s = Pretrain.Settings.tiny(Preflight.root());
    return s.withTrain(s.train().withMaxSteps(steps));
  }

  @Test
  void eachRowGivesAWorkedSolutionAndADirectAnswerChat() {
    Triplet t = new Triplet("x", "What is 2 + 3?", "2 + 3 = 5.", "Final answer: 5", "test", Map.of());
    assertEquals(List.of("What is 2 + 3?\n2 + 3 = 5.\nFinal answer: 5</s>",
        "User: What is 2 + 3?\nAssistant: Final answer: 5</s>"), Pretrain.texts(t, "</s>"));
    Triplet glm = new Triplet("g", "What is 2 + 3?", "2 + 3 = 5.\nLet me redo it.\n2 + 3 = 5.\nSo the answer is 5.",
        "Final answer: 5", "test", Map.of());
    assertEquals("What is 2 + 3?\n2 + 3 = 5.\nLet me redo it.\n2 + 3 = 5.\n", Pretrain.unfinished(glm));
  }

  @Test
  void learnsTheDomainFromRandomWeightsAndWritesAModelFolder() throws Exception {
    Pretrain.Result r = Pretrain.ensure(shortRun(25), dir.resolve("base"), st -> {});
    assertFalse(r.reused());
    assertEquals(1360, r.lines()); // opus rows 1,001-2,000 worked (300 also as chats), glm rows 1,001-1,060 worked
    assertEquals(25, r.steps().size());
    // random weights predict a uniform distribution: the first loss is about ln(256) = 5.55
    assertEquals(Math.log(256), r.firstLoss(), 0.35);
    // 25 steps of 16 lines, still in the warm-up (lr 1e-3 after 5 % of 850 steps), learn the frequent words
    assertTrue(r.lastLoss() < 4.2, "loss after 25 steps: " + r.lastLoss());
    for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
        "pretrain.json", "training/metrics.jsonl")) {
      assertTrue(Files.exists(r.modelDir().resolve(f)), f);
    }
    assertEquals(256, LlamaConfig.read(r.modelDir()).vocabSize());
    assertEquals(25, Files.readAllLines(r.modelDir().resolve("training/metrics.jsonl")).size());

    // the same settings reuse it; other settings train again
    assertTrue(Pretrain.ensure(shortRun(25), dir.resolve("base"), st -> {}).reused());
    Pretrain.Result again = Pretrain.ensure(shortRun(3), dir.resolve("base"), st -> {});
    assertFalse(again.reused());
    assertEquals(3, again.steps().size());
  }

  @Test
  void refusesToReplaceAFolderItDidNotMake() throws Exception {
    Path other = dir.resolve("mine");
    Files.createDirectories(other);
    Files.writeString(other.resolve("notes.txt"), "keep me");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pretrain.run(shortRun(1), other, st -> {}, false));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    assertTrue(Files.exists(other.resolve("notes.txt")));
  }
}
