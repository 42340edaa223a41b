package io.thinklab.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.run.RunFile;
import io.thinklab.run.RunFiles;
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
  void tinyGlmTruncatedCutsNearlyEveryRowAndTheFixedRunFollowsThePrintedFix() {
    PreflightReport truncated = Preflight.check(RunFiles.resolve("tiny-glm-cpu-truncated", List.of()));
    assertEquals(List.of("truncation"), truncated.failing(), truncated.text());
    int rows = ((Number) truncated.numbers().get("rows")).intValue();
    int cut = ((Number) truncated.numbers().get("cut_before_end_think")).intValue();
    assertEquals(2000, rows);
    // the run file's comment states 1,997 of 2,000 (99.85 %): a tiny adapter learns to close from the few rows it
    // sees whole, so nearly none may be
    assertEquals(1997, cut, truncated.text());

    String fix = truncated.check("truncation").fixes().get(0);
    RunFile fixedRun = RunFiles.resolve("tiny-glm-cpu-fixed", List.of());
    assertTrue(fix.contains("--set max_length=" + fixedRun.maxLength()), fix + " vs " + fixedRun.maxLength());
    PreflightReport fixed = Preflight.check(fixedRun);
    assertEquals(0, fixed.exitCode(), fixed.text());
    // every row fits whole at the fixed cutoff
    assertEquals(0, ((Number) fixed.numbers().get("cut_before_end_think")).intValue(), fixed.text());
  }
}
