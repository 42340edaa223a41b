package io.thinklab.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.thinklab.run.RunFile;
import io.thinklab.run.RunFiles;
import java.nio.file.Files;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The seed's GLM run and its shipped fix, exactly as shipped, counted offline with the Qwen3 tokenizer on the
 * committed glm-style sample (skips when data/tokenizers/qwen3 was not fetched). If the sample or the tokenizer
 * changes, apply the seed's newly printed first fix to nanbeige4-3b-glm12k-fixed.yaml.
 */
class BuiltInNanbeigeRunsTest {

  @Test
  void theFixedGlmRunIsTheSeedPlusItsPrintedFirstFixAndPasses() {
    assumeTrue(Files.isRegularFile(Preflight.root().resolve("data/tokenizers/qwen3/tokenizer.json")),
        "Qwen3 tokenizer not fetched: skipped");
    PreflightReport seed = Preflight.check(RunFiles.resolve("nanbeige4-3b-glm12k-seed", List.of()));
    assertEquals(List.of("truncation"), seed.failing(), seed.text());

    List<String> sets = new ArrayList<>();
    Matcher m = Pattern.compile("--set (\\S+)").matcher(seed.check("truncation").fixes().get(0));
    while (m.find()) {
      sets.add(m.group(1));
    }
    assertTrue(sets.size() >= 1, seed.check("truncation").fixes().toString());
    RunFile seedFixed = RunFiles.resolve("nanbeige4-3b-glm12k-seed", sets);
    RunFile shipped = RunFiles.resolve("nanbeige4-3b-glm12k-fixed", List.of());
    // the same run but for the fix's keys (name, description and the reference note are prose)
    assertEquals(seedFixed.maxLength(), shipped.maxLength(), "printed fix " + sets);
    assertEquals(seedFixed.train(), shipped.train(), "printed fix " + sets);
    assertEquals(seedFixed.data(), shipped.data());
    assertEquals(seedFixed.lora(), shipped.lora());
    assertEquals(seedFixed.tokenizer(), shipped.tokenizer());
    assertEquals(List.of(seedFixed.model(), seedFixed.format(), seedFixed.overLong(), seedFixed.device()),
        List.of(shipped.model(), shipped.format(), shipped.overLong(), shipped.device()));

    PreflightReport fixed = Preflight.check(shipped);
    assertEquals(0, fixed.exitCode(), fixed.text());
  }
}
