package io.thinklab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.preflight.Preflight;
import io.thinklab.preflight.PreflightReport;
import io.thinklab.tokens.TinyTokenizer;
import io.thinklab.train.TrainData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No silent fallback in training: a missing dataset or tokenizer stops {@code TrainData} with what is missing, how
 * to get it and where to put it; {@code allowFallback} (thinklab train --allow-fallback) uses the fallback and says
 * so; the preflight approximates with it and says so; both look in the same places, {@code data/hub/} included.
 */
class RunSourcesTest {

  /** The seed's GLM run with its fallback sample written into {@code base} (the hub dataset is not there). */
  static RunFile glmRun(Path base) throws Exception {
    Path sample = base.resolve("data/samples/glm-style.jsonl");
    Files.createDirectories(sample.getParent());
    Files.write(sample, List.of("{\"id\":\"s1\",\"problem\":\"p\",\"thinking\":\"" + "t ".repeat(15)
        + "\",\"solution\":\"s\"}"));
    Path qwen = TinyTokenizer.write(base.resolve("data/tokenizers/qwen3"));
    return RunFiles.resolve("nanbeige4-3b-glm12k-seed", List.of("data.0.fallback=" + sample,
        "tokenizer.fallback=" + qwen));
  }

  @Test
  void trainingStopsOnAMissingDatasetAndSaysHowToGetIt(@TempDir Path base) throws Exception {
    RunFile run = glmRun(base);
    var e = assertThrows(IllegalArgumentException.class, () -> TrainData.readData(run, base, s -> {}));
    String m = e.getMessage();
    for (String s : List.of("crownelius/GLM-5.0-25000x", base.resolve("data/hub/crownelius/GLM-5.0-25000x").toString(),
        "data stats hf:crownelius/GLM-5.0-25000x", "--set data.0.path=", "--allow-fallback")) {
      assertTrue(m.contains(s), "the message names " + s + ": " + m);
    }
    List<String> said = new ArrayList<>();
    var rows = TrainData.readData(run, base, true, said::add);
    assertEquals(List.of("s1"), rows.stream().map(t -> t.id()).toList());
    assertTrue(said.get(0).startsWith("WARNING: data crownelius/GLM-5.0-25000x not available; --allow-fallback"),
        said.toString());
  }

  @Test
  void trainingStopsOnAMissingTokenizerAndSaysHowToGetIt(@TempDir Path base) throws Exception {
    RunFile run = glmRun(base);
    var e = assertThrows(IllegalArgumentException.class, () -> TrainData.tokenizerDir(run, base, null, s -> {}));
    String m = e.getMessage();
    for (String s : List.of("Nanbeige/Nanbeige4-3B-Base", base.resolve("data/hub/Nanbeige--Nanbeige4-3B-Base")
        .toString(), "huggingface-cli download Nanbeige/Nanbeige4-3B-Base", "--base", "--allow-fallback")) {
      assertTrue(m.contains(s), "the message names " + s + ": " + m);
    }
    List<String> said = new ArrayList<>();
    assertEquals(base.resolve("data/tokenizers/qwen3"), TrainData.tokenizerDir(run, base, null, true, said::add));
    assertTrue(said.get(0).startsWith("WARNING: tokenizer Nanbeige/Nanbeige4-3B-Base not found"), said.toString());
  }

  @Test
  void thePreflightApproximatesWithTheFallbacksAndSaysSo(@TempDir Path base) throws Exception {
    // a local tokenizer path that is missing (no hub id: nothing is downloaded)
    RunFile run = RunFiles.resolve("nanbeige4-3b-glm12k-seed", List.of("tokenizer.path=" + base.resolve("nope"),
        "tokenizer.fallback=" + TinyTokenizer.write(base.resolve("tok")), "data.0.fallback="
            + glmRun(base).data().get(0).fallback()));
    PreflightReport r = Preflight.check(run, base);
    assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("APPROXIMATING: data crownelius/GLM-5.0-25000x")),
        r.notes().toString());
    assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("APPROXIMATING: tokenizer")), r.notes().toString());
  }

  @Test
  void bothFindAHubDownloadInDataHub(@TempDir Path base) throws Exception {
    RunFile run = glmRun(base);
    Path hub = base.resolve("data/hub/crownelius/GLM-5.0-25000x");
    Files.createDirectories(hub.resolve("data"));
    Files.write(hub.resolve("data/train.jsonl"), List.of(
        "{\"id\":\"h1\",\"problem\":\"p\",\"thinking\":\"" + "t ".repeat(15) + "\",\"solution\":\"s\"}",
        "{\"id\":\"h2\",\"problem\":\"p\",\"thinking\":\"" + "u ".repeat(15) + "\",\"solution\":\"s\"}"));
    Files.write(hub.resolve("files.txt"), List.of("data/train.jsonl"));
    TinyTokenizer.write(base.resolve("data/hub/Nanbeige--Nanbeige4-3B-Base"));

    assertEquals(hub, RunSources.data(run.data().get(0), base).shown());
    assertEquals(List.of("h1", "h2"), TrainData.readData(run, base, s -> {}).stream().map(t -> t.id()).toList());
    assertEquals(base.resolve("data/hub/Nanbeige--Nanbeige4-3B-Base"), TrainData.tokenizerDir(run, base, null,
        s -> {}));
    PreflightReport r = Preflight.check(run, base);
    assertTrue(r.notes().isEmpty(), "nothing approximated: " + r.notes());
    assertEquals(2, r.numbers().get("rows"), r.text());
    assertEquals("Nanbeige/Nanbeige4-3B-Base", r.numbers().get("tokenizer"));
  }

  @Test
  void aLocalPathIsFoundFirstAndAMissingOneIsNull(@TempDir Path base) throws Exception {
    RunFile.Data missing = RunFiles.resolve("tiny-opus-cpu", List.of("data.0.path=nope.jsonl")).data().get(0);
    assertNull(RunSources.data(missing, base));
    assertTrue(RunSources.missingData(missing, 0, base).contains(base.resolve("nope.jsonl").toString()));
  }
}
