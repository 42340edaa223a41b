package io.thinklab.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.run.RunFiles;
import io.thinklab.tokens.TinyTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preflight on stand-in data with the tiny word-level tokenizer: the real sample files and the Qwen3 tokenizer
 * are not needed. Token counts: short rows 31 tokens, long rows 71 (see {@link Fixtures}).
 */
class PreflightTest {

  static List<String> on(Path dir, Path data, String... more) {
    List<String> sets = new java.util.ArrayList<>(List.of("tokenizer.path=" + TinyTokenizer.write(dir.resolve("tok")),
        "tokenizer.fallback=null", "data.0.path=" + data, "data.0.fallback=null"));
    sets.addAll(List.of(more));
    return sets;
  }

  @Test
  void seedLikeRunFailsOnTruncationAndPlansFifteenHundredSteps(@TempDir Path dir) {
    // 12,000 rows, 79 % long: at max_length 48 every long row loses </think> (at index 68)
    Path data = Fixtures.glmLike(dir.resolve("glm.jsonl"), 12_000, 79, 60, 20);
    PreflightReport r = Preflight.check(RunFiles.resolve("nanbeige4-3b-glm12k-seed",
        on(dir, data, "max_length=48")), dir);
    assertEquals(1, r.exitCode(), r.text());
    assertEquals(List.of("truncation"), r.failing(), r.text());
    assertEquals(21.0, r.numbers().get("keep_both_pct"));
    assertEquals(1500L, r.numbers().get("optimizer_steps"), r.text());
    assertEquals(8_388_608L, r.numbers().get("lora_parameters"));
    assertEquals(71, r.numbers().get("min_cutoff_for_99pct"));
    Check t = r.check("truncation");
    assertTrue(t.fixes().get(0).contains("--set max_length=256"), t.fixes().toString());
    assertTrue(t.fixes().get(1).contains("drop the 9,480 over-long rows"), t.fixes().toString());
    assertTrue(r.text().contains("reference: the seed's measured H100 step time: 2.79 s/step"), r.text());
  }

  @Test
  void theFixesPass(@TempDir Path dir) {
    Path data = Fixtures.glmLike(dir.resolve("glm.jsonl"), 1000, 79, 60, 20);
    for (List<String> fix : List.of(List.of("max_length=256"), List.of("over_long=drop"))) {
      List<String> sets = on(dir, data, "max_length=48");
      sets.addAll(fix);
      PreflightReport r = Preflight.check(RunFiles.resolve("nanbeige4-3b-glm12k-seed", sets), dir);
      assertEquals(0, r.exitCode(), fix + "\n" + r.text());
    }
    PreflightReport error = Preflight.check(RunFiles.resolve("nanbeige4-3b-glm12k-seed",
        on(dir, data, "max_length=48", "over_long=error")), dir);
    assertTrue(error.check("truncation").summary().contains("the run would stop at row r0"), error.text());
  }

  @Test
  void tinyBuiltInsOnAStandIn(@TempDir Path dir) {
    // long rows longer than tiny-glm-cpu-truncated's cutoff, shorter than tiny-glm-cpu-fixed's
    Path data = Fixtures.glmLike(dir.resolve("glm-mini.jsonl"), 200, 79, 300, 40);
    PreflightReport truncated = Preflight.check(RunFiles.resolve("tiny-glm-cpu-truncated", on(dir, data)), dir);
    assertEquals(1, truncated.exitCode(), truncated.text());
    assertEquals(List.of("truncation"), truncated.failing());
    PreflightReport fixed = Preflight.check(RunFiles.resolve("tiny-glm-cpu-fixed", on(dir, data)), dir);
    assertEquals(0, fixed.exitCode(), fixed.text());
  }

  @Test
  void memoryFailsWhenTheCutoffIsRaisedAtMicroBatchFour(@TempDir Path dir) {
    Path data = Fixtures.glmLike(dir.resolve("long.jsonl"), 40, 100, 9000, 9000);
    PreflightReport r = Preflight.check(RunFiles.resolve("nanbeige4-3b-glm12k-seed",
        on(dir, data, "max_length=9216")), dir);
    assertEquals(List.of("memory"), r.failing(), r.text());
    assertTrue(r.check("memory").fixes().get(0).contains("--set train.micro_batch=2 --set train.grad_accum=8"),
        r.text());
  }

  @Test
  void missingDataFailsWithItsPath(@TempDir Path dir) {
    PreflightReport r = Preflight.check(RunFiles.resolve("tiny-opus-cpu",
        on(dir, dir.resolve("nope.jsonl"))), dir);
    assertEquals(List.of("data"), r.failing());
    assertTrue(r.check("data").summary().contains("nope.jsonl"), r.text());
  }

  @Test
  void rejectsAreCountedByReasonWithTheirLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("mixed.jsonl");
    java.nio.file.Files.write(f, List.of(
        "{\"problem\":\"a\",\"thinking\":\"a b\",\"solution\":\"c\"}",
        "{not json",
        "{\"problem\":\"a\",\"thinking\":\"\",\"solution\":\"c\"}",
        "{\"problem\":\"a <think>\",\"thinking\":\"a\",\"solution\":\"c\"}"));
    PreflightReport r = Preflight.check(RunFiles.resolve("tiny-opus-cpu", on(dir, f)), dir);
    Check data = r.check("data");
    assertTrue(data.summary().startsWith("1 rows after filters"), data.summary());
    // the data layer's reasons (bad_json, short_thinking: non_empty makes a blank thinking too short), then the
    // run file's own filter (markers_in_field)
    assertTrue(data.details().contains("first 'bad_json': mixed.jsonl:2"), data.details().toString());
    assertTrue(data.details().contains("first 'short_thinking': mixed.jsonl:3"), data.details().toString());
    assertTrue(data.details().contains("first 'markers_in_field': mixed.jsonl:4"), data.details().toString());
    assertTrue(data.summary().contains("4 read"), data.summary());
  }
}
