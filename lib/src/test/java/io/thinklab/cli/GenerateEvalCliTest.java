package io.thinklab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.generate.TinyModelDir;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateEvalCliTest {
  @TempDir
  Path tmp;

  @Test
  void generateStreamsAndReportsTheStopReason() throws Exception {
    Path model = TinyModelDir.write(tmp.resolve("model"), 1);
    CliRun r = CliRun.of("generate", model.toString(), "--prompt", "User: 2+2?\nAssistant: <think>\n",
        "--max-new-tokens", "12", "--temperature", "0.8", "--top-k", "20", "--seed", "3");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("[stop: "), r.out());
    assertTrue(r.out().matches("(?s).*\\[stop: (eos|max_new_tokens|think_loop) after \\d+ tokens.*"), r.out());
  }

  @Test
  void evalPrintsTheFiguresForAModelAndForARunWithItsAdapter() throws Exception {
    Path model = TinyModelDir.write(tmp.resolve("model"), 1);
    Path run = TinyModelDir.writeRun(tmp.resolve("run"), model, 2);
    String data = Path.of("..", "data", "samples", "eval-mini.jsonl").toString();
    ObjectMapper json = new ObjectMapper();
    JsonNode base = json.readTree(eval(model, data));
    JsonNode adapted = json.readTree(eval(run, data));
    for (String key : List.of("close_rate", "finish_rate", "accuracy", "mean_thinking_tokens",
        "stop_rule_fired_rate", "eval_loss")) {
      assertTrue(base.has(key) && adapted.has(key), key + " in " + base);
    }
    assertEquals(4, base.get("problems").asInt());
    double loss = base.get("eval_loss").asDouble();
    assertEquals(Math.log(TinyModelDir.VOCAB), loss, 0.3, "a random model's loss ≈ ln(vocab)");
    assertNotEquals(loss, adapted.get("eval_loss").asDouble(), "the run's adapter is attached");
  }

  @Test
  void aBuiltInRunWithoutOutputSaysToTrainItFirst() {
    CliRun r = CliRun.of("eval", "tiny-opus-cpu", "--json");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("runs/tiny-opus-cpu") && r.err().contains("train it first"), r.err());
  }

  private static String eval(Path source, String data) {
    CliRun r = CliRun.of("eval", source.toString(), "--data", data, "--limit", "4", "--max-new-tokens", "10",
        "--batch-size", "3", "--json");
    assertEquals(0, r.exitCode(), r.err());
    return r.out();
  }
}
