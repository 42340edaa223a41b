package io.thinklab.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.lora.LoraConfig;
import io.thinklab.preflight.Preflight;
import io.thinklab.run.ModelProfiles;
import io.thinklab.run.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Stated numbers are checked, not copied: each number the README and docs/ state next to a label is found by a
 * pattern and compared with what the code computes. When the code changes, the doc must change with it; when a
 * doc's number drifts (or its label is reworded so the pattern no longer finds it), this test fails.
 */
class StatedNumbersTest {

  @Test
  void tinyThinkerParameterCount() throws IOException {
    long computed = ModelProfiles.resolve("tiny-thinker").totalParameters();
    // README: `"tiny thinker" (2,836,736 parameters)`
    assertStated("\"tiny thinker\" \\(([\\d,]+) parameters\\)", computed);
  }

  @Test
  void nanbeigeSeedLoraCount() throws IOException {
    long computed = LoraConfig.seed("Nanbeige/Nanbeige4-3B-Base")
        .trainableParameters(ModelProfiles.resolve("nanbeige4-3b-base"));
    // README's course table and the notes: "the seed's 8,388,608"; docs/run-files.md: "LoRA r16 q/k/v/o: 8,388,608".
    // Millions written with separators only: "the seed's 2.79 s/step" is another number.
    assertStated("(?:the seed's|LoRA r16 q/k/v/o:) (\\d{1,3}(?:,\\d{3}){2,})", computed);
  }

  @Test
  void tinyGlmRunsMaxLength() throws IOException {
    for (String run : List.of("tiny-glm-cpu-truncated", "tiny-glm-cpu-fixed")) {
      long computed = RunFiles.resolve(run, List.of()).maxLength();
      // docs/cli.md and docs/run-files.md: "`tiny-glm-cpu-truncated` (max_length 110"
      assertStated("`" + Pattern.quote(run) + "` \\(max_length ([\\d,]+)", computed);
    }
  }

  /** Every match of {@code regex} (group 1 a number) in README.md and docs/*.md must equal {@code computed}. */
  private static void assertStated(String regex, long computed) throws IOException {
    Pattern pattern = Pattern.compile(regex);
    int found = 0;
    for (Path doc : docs()) {
      Matcher m = pattern.matcher(Files.readString(doc));
      while (m.find()) {
        found++;
        assertEquals(computed, Long.parseLong(m.group(1).replace(",", "")),
            Preflight.root().relativize(doc) + " states \"" + m.group() + "\" but the code computes " + computed);
      }
    }
    assertTrue(found > 0, "no doc states /" + regex + "/ any more: reword the pattern or restore the number");
  }

  private static List<Path> docs() throws IOException {
    Path root = Preflight.root();
    List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> s = Files.list(root.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }
}
