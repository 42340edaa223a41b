package io.thinklab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.model.LlamaModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed with SIGKILL between checkpoints, then resumed, logs the same losses as an uninterrupted run. */
class KillResumeTest {

  @TempDir
  Path dir;

  @Test
  void sigkillThenResumeEqualsAnUninterruptedRun() throws Exception {
    int steps = 12;
    int every = 4;
    Path killed = dir.resolve("killed");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
        TrainProcess.class.getName(), killed.toString(), String.valueOf(steps), String.valueOf(every))
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    Path metrics = killed.resolve("metrics.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (p.isAlive() && System.nanoTime() < deadline
        && (!Files.exists(metrics) || Files.readAllLines(metrics).size() < every + 1)) {
      Thread.sleep(10);
    }
    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no final checkpoint
    p.waitFor();
    int logged = Files.readAllLines(metrics).size();
    assertTrue(logged > every && logged < steps, "killed between checkpoints after " + logged + " steps; log: "
        + Files.readString(dir.resolve("child.log")));

    try (LlamaModel model = TrainerTest.model(DataType.FLOAT32); LoraAdapter ad = TrainerTest.adapter(0.1)) {
      Trainer.lora(model, ad, TrainerTest.reversal(12, 4), TrainerTest.cfg().withMaxSteps(steps)
          .withCheckpointEvery(every), killed).quiet().run(true);
    }
    Path straight = dir.resolve("straight");
    try (LlamaModel model = TrainerTest.model(DataType.FLOAT32); LoraAdapter ad = TrainerTest.adapter(0.1)) {
      Trainer.lora(model, ad, TrainerTest.reversal(12, 4), TrainerTest.cfg().withMaxSteps(steps)
          .withCheckpointEvery(every), straight).quiet().run(false);
    }
    List<JsonNode> a = TrainerTest.metrics(straight);
    List<JsonNode> b = TrainerTest.metrics(killed);
    assertEquals(steps, b.size());
    for (int i = 0; i < steps; i++) {
      assertEquals(i + 1, b.get(i).get("step").asInt());
      assertEquals(a.get(i).get("loss").asDouble(), b.get(i).get("loss").asDouble(), 0.0, "step " + (i + 1));
    }
  }
}
