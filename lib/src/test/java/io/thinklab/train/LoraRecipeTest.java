package io.thinklab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.lora.LoraConfig;
import io.thinklab.run.RunFile;
import io.thinklab.run.RunFiles;
import io.thinklab.run.RunSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipe puts a run together as {@code thinklab train} did by hand: plan without weights, then the run. */
class LoraRecipeTest {

  static RunFile tiny(int rows) {
    return RunFiles.resolve("tiny-opus-cpu", List.of("data.0.max_rows=" + rows, "train.micro_batch=2",
        "train.grad_accum=1"));
  }

  @Test
  void thePlanIsTheRunFilesDataAndSettingsBeforeAnyWeight() {
    RunFile run = tiny(24);
    List<String> said = new ArrayList<>();
    LoraRecipe.Plan p = LoraRecipe.of(run).configure(c -> c.withMaxSteps(5)).say(said::add).plan();
    Path root = RunSources.root();
    TrainData.Loaded direct = TrainData.load(run, root, TrainData.tokenizerDir(run, root, null, s -> {}),
        p.model(), s -> {});
    assertEquals(direct.sequences().size(), p.sequences().size());
    for (int i = 0; i < direct.sequences().size(); i++) {
      assertEquals(direct.sequences().get(i).id(), p.sequences().get(i).id(), "the rows TrainData reads, in order");
    }
    assertEquals(TrainConfig.fromRun(run.train(), "fp32").withMaxSteps(5), p.config());
    assertNull(p.base(), "tiny-thinker is a profile: a random base, made at run time");
    assertEquals(direct.trainableTokens(), p.lora().trainableTokenIndices());
    assertEquals(24, p.totalSteps(), "24 rows in micro-batches of 2, 2 epochs");
    assertEquals(5, p.stopStep());
    assertTrue(said.stream().anyMatch(s -> s.startsWith("data: ")), said.toString());
  }

  @Test
  void runsARandomBaseAndSavesItBesideTheAdapter(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    LoraRecipe.Result r = LoraRecipe.of(tiny(8)).configure(c -> c.withMaxSteps(2)).run(out);
    assertEquals(2, r.steps().size());
    assertEquals(2, r.last().step());
    assertEquals(out.resolve("base"), r.base());
    assertTrue(Files.isRegularFile(r.adapter().resolve("adapter_model.safetensors")));
    assertTrue(Files.isRegularFile(out.resolve("base/model.safetensors")));
    assertTrue(Files.isRegularFile(out.resolve("run.json")));
    assertEquals(out.resolve("base").toString(), LoraConfig.read(r.adapter()).baseModelNameOrPath());
    IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
        () -> LoraRecipe.of(tiny(8)).run(out));
    assertTrue(again.getMessage().contains("already holds checkpoints"), again.getMessage());
    // resumed, it continues on the base it saved, to the same numbers as a run of 3 steps at once
    LoraRecipe.Result more = LoraRecipe.of(tiny(8)).configure(c -> c.withMaxSteps(3)).run(out, true);
    assertEquals(List.of(3), more.steps().stream().map(StepReport::step).toList());
    LoraRecipe.Result whole = LoraRecipe.of(tiny(8)).configure(c -> c.withMaxSteps(3)).run(dir.resolve("whole"));
    assertEquals(whole.last().loss(), more.last().loss(), 0.0);
  }

  @Test
  void givenIngredientsNeedSequences(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LoraRecipe.on(dir).plan());
    assertTrue(e.getMessage().contains("sequences"), e.getMessage());
  }
}
