package io.thinklab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.generate.TinyModelDir;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ablation's wiring on a random tiny model: both arms train and evaluate; only the cutoff differs. */
class AblationCliTest {
  @TempDir
  Path tmp;

  @Test
  void bothArmsReportTheEvalKeysAndOnlyTheTruncatedArmLosesThinkClose() throws Exception {
    Path model = TinyModelDir.write(tmp.resolve("model"), 1);
    CliRun r = CliRun.of("ablation", "truncation", "--base", model.toString(),
        "--train", Path.of("..", "data", "samples", "glm-mini.jsonl.gz").toString(),
        "--eval", Path.of("..", "data", "samples", "eval-mini.jsonl").toString(),
        "--run-files", "none", "--train-rows", "12", "--eval-rows", "2", "--steps", "1", "--rank", "2", "--max-new-tokens", "6",
        "--out", tmp.resolve("runs").toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    for (String arm : new String[] {"truncated", "fixed"}) {
      for (String key : new String[] {"close_rate", "finish_rate", "accuracy", "mean_thinking_tokens",
          "stop_rule_fired_rate", "eval_loss", "cutoff"}) {
        assertTrue(j.get(arm).has(key), arm + "." + key + " in " + j);
      }
    }
    assertTrue(j.get("truncated").get("cut_before_close_rate").asDouble() >= 0.79, j.toString());
    assertEquals(0.0, j.get("fixed").get("cut_before_close_rate").asDouble(), j.toString());
    assertTrue(j.get("fixed").get("cutoff").asInt() > j.get("truncated").get("cutoff").asInt());
  }

  @Test
  void theBuiltInRunFilesGiveTheArmsTheirCutoffsAndSharedSettings() throws Exception {
    Path model = TinyModelDir.write(tmp.resolve("model"), 1);
    var truncated = io.thinklab.run.RunFiles.resolve("tiny-glm-cpu-truncated", java.util.List.of());
    var fixed = io.thinklab.run.RunFiles.resolve("tiny-glm-cpu-fixed", java.util.List.of());
    var s = io.thinklab.eval.TruncationAblation.Settings.fromRunFiles(truncated, fixed, model, tmp, tmp, 10, 2, 8, 42, tmp);
    // the arms take their cutoffs from the run files (re-tuned there when the tokenizer changes)
    assertEquals(truncated.maxLength(), s.cutoffs()[0]);
    assertEquals(fixed.maxLength(), s.cutoffs()[1]);
    assertTrue(s.cutoffs()[0] < s.cutoffs()[1]);
    assertEquals(16, s.lora().r());
    assertEquals(32.0, s.lora().alpha());
    // <think> and </think> are ids 3 and 4 of the test model's tokenizer: their rows train
    assertEquals(java.util.List.of(3, 4), s.lora().trainableTokenIndices());
    assertEquals(2, s.train().epochs());
    assertTrue(!s.fixedDrops());

  }

  @Test
  void thinkingAblationPrintsTheThreeModelsWithAccuracyAndIntervals() throws Exception {
    Path model = TinyModelDir.write(tmp.resolve("model"), 1);
    CliRun r = CliRun.of("ablation", "thinking", "--base", model.toString(),
        "--train", Path.of("..", "data", "samples", "opus-mini.jsonl").toString(),
        "--eval", Path.of("..", "data", "samples", "eval-mini.jsonl").toString(),
        "--train-rows", "8", "--eval-rows", "3", "--steps", "1", "--max-new-tokens", "4",
        "--out", tmp.resolve("runs").toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    for (String arm : new String[] {"base", "answer_only", "thinking"}) {
      for (String key : new String[] {"accuracy", "accuracy_ci", "close_rate", "close_rate_ci", "n"}) {
        assertTrue(j.get(arm).has(key), arm + "." + key + " in " + j);
      }
      assertEquals(3, j.get(arm).get("n").asInt());
      JsonNode ci = j.get(arm).get("accuracy_ci");
      double acc = j.get(arm).get("accuracy").asDouble();
      assertTrue(ci.get(0).asDouble() <= acc && acc <= ci.get(1).asDouble(), j.toString());
    }
    // the base is never trained; both adapters train on the same 8 rows
    assertTrue(j.get("base").get("final_train_loss").isNull());
    assertEquals(8, j.get("answer_only").get("train_rows").asInt());
    assertEquals(8, j.get("thinking").get("train_rows").asInt());
  }

  @Test
  void seedsRunOncePerSeedAndPrintTheSpread() throws Exception {
    Path model = TinyModelDir.write(tmp.resolve("model"), 1);
    CliRun r = CliRun.of("ablation", "truncation", "--base", model.toString(),
        "--train", Path.of("..", "data", "samples", "glm-mini.jsonl.gz").toString(),
        "--eval", Path.of("..", "data", "samples", "eval-mini.jsonl").toString(),
        "--run-files", "none", "--train-rows", "8", "--eval-rows", "2", "--steps", "1", "--rank", "2",
        "--max-new-tokens", "4", "--seeds", "3,4", "--out", tmp.resolve("runs").toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(2, j.get("seeds").size());
    assertEquals(3, j.get("seeds").get(0).get("seed").asInt());
    assertEquals(4, j.get("seeds").get(1).get("seed").asInt());
    JsonNode spread = j.get("spread").get("fixed").get("close_rate");
    double a = j.get("seeds").get(0).get("fixed").get("close_rate").asDouble();
    double b = j.get("seeds").get(1).get("fixed").get("close_rate").asDouble();
    assertEquals(Math.min(a, b), spread.get("min").asDouble(), 1e-4);
    assertEquals(Math.max(a, b), spread.get("max").asDouble(), 1e-4);
    assertTrue(java.nio.file.Files.isDirectory(tmp.resolve("runs").resolve("seed-3").resolve("fixed")));
  }

  @Test
  void anAnswerOnlyRowKeepsItsSolutionAndLosesItsThinking() {
    var t = io.thinklab.data.Triplet.of("x", "What is 2 + 3?", "2 + 3 = 5.", "Final answer: 5");
    var a = io.thinklab.eval.ThinkingAblation.answerOnly(t);
    assertEquals("", a.thinking());
    assertEquals(t.solution(), a.solution());
    assertEquals("User: What is 2 + 3?\nAssistant: <think>\n\n</think>\nFinal answer: 5</s>",
        io.thinklab.data.TrainingFormat.plain("</s>").format(a).text());
  }
}
