package io.thinklab.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tiny GLM runs exactly as shipped: the committed glm-style mini sample and the committed tiny tokenizer
 * (data/tiny-tokenizer) the tiny model trains with. If the sample or the tokenizer changes, re-tune
 * {@code max_length} in tiny-glm-cpu-truncated.yaml with {@code thinklab diagnose data/samples/glm-mini.jsonl.gz
 * --cutoffs ...} and apply the printed fix to tiny-glm-cpu-fixed.yaml.
 */
class BuiltInTinyRunsTest {

  @Test
  void tinyGlmTruncatedCutsAboutTheSeedsShareAndTheFixedRunFollowsThePrintedFix() {
    PreflightReport truncated = Preflight.check(RunFiles.resolve("tiny-glm-cpu-truncated", List.of()));
    assertEquals(List.of("truncation"), truncated.failing(), truncated.text());
    int rows = ((Number) truncated.numbers().get("rows")).intValue();
    int cut = ((Number) truncated.numbers().get("cut_before_end_think")).intValue();
    assertEquals(2000, rows);
    double share = (double) cut / rows;
    assertTrue(Math.abs(share - 0.788) < 0.01, "the seed lost 78.8 % before </think>; this run " + share);

    String fix = truncated.check("truncation").fixes().get(0);
    RunFile fixedRun = RunFiles.resolve("tiny-glm-cpu-fixed", List.of());
    assertTrue(fix.contains("--set max_length=" + fixedRun.maxLength()), fix + " vs " + fixedRun.maxLength());
    PreflightReport fixed = Preflight.check(fixedRun);
    assertEquals(0, fixed.exitCode(), fixed.text());

    // the second printed fix, as tiny-glm-cpu-dropped applies it: same cutoff, over-long rows dropped (WARN)
    String drop = truncated.check("truncation").fixes().get(1);
    RunFile droppedRun = RunFiles.resolve("tiny-glm-cpu-dropped", List.of());
    assertTrue(drop.contains("--set over_long=drop") && drop.contains("keep max_length " + droppedRun.maxLength()),
        drop);
    assertEquals("drop", droppedRun.overLong());
    PreflightReport dropped = Preflight.check(droppedRun);
    assertEquals(0, dropped.exitCode(), dropped.text());
    assertEquals(Check.Verdict.WARN, dropped.check("truncation").verdict(), dropped.text());
  }
}
