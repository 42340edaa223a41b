package io.thinklab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code thinklab train tiny-opus-cpu}, tiny: outputs, exact resume through the CLI, bad keys. */
class TrainCliTest {

  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("data/samples/README.md"))) {
        return p;
      }
    }
    throw new AssertionError("repository root not found");
  }

  /** tiny-opus-cpu on 24 rows, micro-batch 2, no accumulation, paths absolute (tests run in lib/). */
  static CliRun train(Path out, String... more) {
    Path r = root();
    List<String> args = new ArrayList<>(List.of("train", "tiny-opus-cpu", "--out", out.toString(),
        "--set", "tokenizer.path=" + r.resolve("data/tiny-tokenizer"),
        "--set", "data.0.path=" + r.resolve("data/samples/opus-mini.jsonl"),
        "--set", "data.0.max_rows=24", "--set", "train.micro_batch=2", "--set", "train.grad_accum=1"));
    for (String m : more) {
      args.add(m);
    }
    return CliRun.of(args.toArray(String[]::new));
  }

  static List<JsonNode> metrics(Path out) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      rows.add(json.readTree(line));
    }
    return rows;
  }

  @Test
  void threeStepsWriteMetricsCheckpointsAndAdapter(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("run");
    CliRun r = train(out, "--set", "max_steps=3", "--set", "train.precision=bf16");
    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertTrue(r.out().contains("says bf16") && r.out().contains("training in fp32 on the CPU"), r.out());
    List<JsonNode> m = metrics(out);
    assertEquals(3, m.size());
    for (String k : List.of("step", "epoch", "loss", "lr", "grad_norm", "tokens", "tokens_per_s")) {
      assertTrue(m.get(2).has(k), "metrics lack " + k + ": " + m.get(2));
    }
    assertEquals(3, m.get(2).get("step").asInt());
    assertTrue(Math.abs(m.get(0).get("loss").asDouble()
        - Math.log(io.thinklab.run.ModelProfiles.resolve("tiny-thinker").vocabSize())) < 0.5, "a random start is near ln V: " + m);
    assertTrue(Files.isDirectory(out.resolve("checkpoints/step-000003")));
    assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_config.json")));
    assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_model.safetensors")));
    assertTrue(Files.readString(out.resolve("adapter/adapter_config.json")).contains(out.resolve("base").toString()),
        "the adapter points at the saved random base");
    assertTrue(Files.isRegularFile(out.resolve("base/model.safetensors")));
  }

  @Test
  void resumingEqualsAnUninterruptedRun(@TempDir Path dir) throws IOException {
    Path whole = dir.resolve("whole");
    Path split = dir.resolve("split");
    assertEquals(0, train(whole, "--set", "max_steps=4").exitCode());
    CliRun first = train(split, "--set", "max_steps=2");
    assertEquals(0, first.exitCode(), first.err());
    CliRun again = train(split, "--set", "max_steps=2");
    assertEquals(2, again.exitCode(), "a second run into the same folder needs --resume");
    assertTrue(again.err().contains("--resume"), again.err());
    CliRun resumed = train(split, "--set", "max_steps=4", "--resume");
    assertEquals(0, resumed.exitCode(), resumed.err());
    List<JsonNode> a = metrics(whole);
    List<JsonNode> b = metrics(split);
    assertEquals(4, b.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(a.get(i).get("loss").asDouble(), b.get(i).get("loss").asDouble(), 0.0, "step " + (i + 1));
      assertEquals(a.get(i).get("lr").asDouble(), b.get(i).get("lr").asDouble(), 0.0);
    }
  }

  @Test
  void badKeysAndMissingDataFailBeforeAnyWeight(@TempDir Path dir) {
    Path out = dir.resolve("bad");
    CliRun r = train(out, "--set", "max_stepz=3");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("max_stepz") && r.err().contains("max_steps"), r.err());
    CliRun t = train(out, "--set", "train.lr_peak=1");
    assertTrue(t.err().contains("train.lr_peak"), t.err());
    CliRun d = train(out, "--set", "data.0.path=" + dir.resolve("nope.jsonl"));
    assertEquals(2, d.exitCode());
    assertTrue(d.err().contains("nope.jsonl"), d.err());
    assertFalse(Files.exists(out), "nothing written before the checks pass");
  }

  @Test
  void aMissingDatasetStopsTheRunUnlessFallbackIsAllowed(@TempDir Path dir) {
    Path out = dir.resolve("fb");
    String[] fallback = {"--set", "data.0.path=" + dir.resolve("absent.jsonl"),
        "--set", "data.0.fallback=" + root().resolve("data/samples/opus-mini.jsonl"), "--set", "max_steps=1"};
    CliRun stopped = train(out, fallback);
    assertEquals(2, stopped.exitCode(), stopped.out());
    assertTrue(stopped.err().contains("absent.jsonl") && stopped.err().contains("--allow-fallback"), stopped.err());
    assertFalse(Files.exists(out), "stopped before any weight or file");
    List<String> allowed = new ArrayList<>(List.of(fallback));
    allowed.add("--allow-fallback");
    CliRun demo = train(out, allowed.toArray(String[]::new));
    assertEquals(0, demo.exitCode(), demo.err() + demo.out());
    assertTrue(demo.out().contains("WARNING: data " + dir.resolve("absent.jsonl") + " not available; --allow-fallback"),
        demo.out());
  }

  @Test
  void theHelpStatesTheLoopDefaultsTheConfigHas() {
    for (var e : TrainCommand.LOOP_KEYS.entrySet()) {
      String v = e.getValue().replaceAll("\\.0$", "");
      assertTrue(TrainCommand.LOOP_KEYS_TEXT.contains(e.getKey() + " (" + v)
          || TrainCommand.LOOP_KEYS_TEXT.contains(e.getKey() + " (" + e.getValue()),
          e.getKey() + " defaults to " + e.getValue() + ": " + TrainCommand.LOOP_KEYS_TEXT);
    }
  }
}
