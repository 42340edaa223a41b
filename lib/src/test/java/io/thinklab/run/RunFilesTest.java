package io.thinklab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.preflight.Estimates;
import io.thinklab.preflight.Preflight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesTest {

  @Test
  void everyBuiltInRunParsesAndNamesItself() {
    for (String name : RunFiles.BUILT_IN) {
      RunFile r = RunFiles.resolve(name, List.of());
      assertEquals(name, r.name());
      assertTrue(RunFiles.builtInText(name).startsWith("# " + name + ":"), name + " starts with its header");
      ModelProfiles.resolve(r.model());
      Estimates.loraParameters(ModelProfiles.resolve(r.model()), r.lora().r(), r.lora().targets());
    }
  }

  @Test
  void everyBuiltInRunsDataExistsInTheCheckout() {
    // a run pointed at data/samples/glm-mini.jsonl once, while the file is glm-mini.jsonl.gz
    Path root = Preflight.root();
    assertTrue(Files.isDirectory(root.resolve("data/samples")), "run from inside the checkout: " + root);
    for (String name : RunFiles.BUILT_IN) {
      for (RunFile.Data d : RunFiles.resolve(name, List.of()).data()) {
        boolean hub = io.thinklab.tokens.HubFiles.looksLikeHubId(d.path()) && !d.path().startsWith("data/");
        String local = hub ? d.fallback() : d.path();
        assertTrue(local != null && Files.exists(root.resolve(local)),
            name + ": data path " + d.path() + (hub ? " (hub id) has no local fallback " + d.fallback() : "")
                + " is not in the checkout");
        if (d.fallback() != null) {
          assertTrue(Files.exists(root.resolve(d.fallback())), name + ": fallback " + d.fallback() + " missing");
        }
      }
    }
  }

  @Test
  void seedRunHasTheSeedsSettings() {
    RunFile r = RunFiles.resolve("nanbeige4-3b-glm12k-seed", List.of());
    assertEquals(2048, r.maxLength());
    assertEquals("truncate", r.overLong());
    assertEquals(12000, r.data().get(0).maxRows());
    assertEquals(20, r.data().get(0).filters().minThinkingChars());
    assertEquals(List.of(4, 4, 2), List.of(r.train().microBatch(), r.train().gradAccum(), r.train().epochs()));
    assertEquals(0.05, r.data().get(0).filters() == null ? 0 : r.lora().dropout());
    assertEquals(2.79, r.reference().secondsPerStep());
    assertTrue(r.data().get(0).filters().nonEmpty(), "defaults fill keys the file leaves out");
  }

  @Test
  void unknownKeyNamesFileLineAndKnownKeys(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("run.yaml");
    Files.writeString(f, "name: x\ntrain:\n  micro_batch: 2\n  micro_bach: 3\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunFiles.resolve(f.toString(), List.of()));
    assertTrue(e.getMessage().startsWith(f + ":4: unknown key 'micro_bach' in 'train'"), e.getMessage());
    assertTrue(e.getMessage().contains("micro_batch"), e.getMessage());
  }

  @Test
  void wrongTypeNamesTheLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("run.json");
    Files.writeString(f, "{\n\"name\": \"x\",\n\"max_length\": \"long\"\n}\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunFiles.resolve(f.toString(), List.of()));
    assertTrue(e.getMessage().startsWith(f + ":3:"), e.getMessage());
  }

  @Test
  void overridesApplyAndUnknownOnesAreRejected() {
    RunFile r = RunFiles.resolve("nanbeige4-3b-glm12k-seed",
        List.of("max_length=8192", "train.micro_batch=1", "train.grad_accum=16", "data.0.max_rows=100",
            "over_long=drop", "lora.targets=[q_proj, v_proj]"));
    assertEquals(8192, r.maxLength());
    assertEquals(1, r.train().microBatch());
    assertEquals(16, r.train().gradAccum());
    assertEquals(100, r.data().get(0).maxRows());
    assertEquals("drop", r.overLong());
    assertEquals(List.of("q_proj", "v_proj"), r.lora().targets());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunFiles.resolve("tiny-opus-cpu", List.of("train.micro=1")));
    assertTrue(e.getMessage().contains("unknown key 'train.micro'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RunFiles.resolve("tiny-opus-cpu", List.of("data.3.path=x")));
    assertThrows(IllegalArgumentException.class, () -> RunFiles.resolve("tiny-opus-cpu", List.of("max_length")));
  }

  @Test
  void impossibleValuesAreRejectedTogether() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunFiles.resolve("tiny-opus-cpu", List.of("over_long=cut", "device.type=tpu", "train.epochs=0")));
    assertTrue(e.getMessage().contains("over-long policy 'cut'"), e.getMessage());
    assertTrue(e.getMessage().contains("device.type 'tpu'"), e.getMessage());
    assertTrue(e.getMessage().contains("epochs"), e.getMessage());
  }

  @Test
  void unknownRunNameListsTheBuiltIns() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunFiles.resolve("no-such-run", List.of()));
    assertTrue(e.getMessage().contains("tiny-glm-cpu-fixed"), e.getMessage());
  }
}
