package io.thinklab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.Shared;
import io.thinklab.data.Fixtures;
import org.junit.jupiter.api.Test;

class FormatCommandTest {
  private static final String FIRST = "User: A shop sells pens at 3 dollars each. How much do 4 pens cost?\n"
      + "Assistant: <think>\nEach pen costs 3 dollars and we buy 4, so 4 × 3 = 12.\n</think>\n12 dollars";
  private final String file = Fixtures.resource("done-when.jsonl").toString();
  private final String tokenizer = Fixtures.resource("tokenizer-chatml").toString();

  @Test
  void plainLimitOneIsTheSeedFormatWithSeedEos() {
    CliRun r = CliRun.of("format", "--format", "plain", file, "--limit", "1");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(FIRST + "</s>\n", r.out());
    assertTrue(r.err().contains("3 rejected"), "rejects are reported on stderr: " + r.err());
  }

  @Test
  void plainUsesTheTokenizersEos() {
    assertEquals(FIRST + "<|im_end|>\n", CliRun.of("format", file, "--limit", "1", "--tokenizer", tokenizer).out());
  }

  @Test
  void plainWithNanbeigesRealConfigEndsWithItsEos() {
    String dir = Shared.reference("nanbeige4-3b-base").toString();
    assertEquals(FIRST + "</s>\n", CliRun.of("format", file, "--limit", "1", "--tokenizer", dir).out());
  }

  @Test
  void severalExamplesAreHeadedById() {
    String out = CliRun.of("format", file).out();
    assertTrue(out.startsWith("--- ok-1 ---\n" + FIRST + "</s>\n--- ok-2 ---\nUser: How many legs"), out);
  }

  @Test
  void chatmlAndTemplateAgreeForAChatmlTemplate() {
    String chatml = CliRun.of("format", "--format", "chatml", file, "--limit", "1").out();
    String template = CliRun.of("format", "--format", "template", "--tokenizer", tokenizer, file, "--limit", "1").out();
    assertTrue(chatml.startsWith("<|im_start|>user\nA shop sells pens"), chatml);
    assertEquals(chatml.substring(0, chatml.length() - 1) + "\n\n", template);
  }

  @Test
  void jsonCarriesExactSpans() throws Exception {
    String out = CliRun.of("format", "--json", file, "--limit", "1").out();
    JsonNode o = new ObjectMapper().readTree(out);
    String text = o.get("text").asText();
    assertEquals(FIRST + "</s>", text);
    JsonNode thinking = o.get("spans").get(2);
    assertEquals("thinking", thinking.get("segment").asText());
    assertEquals("Each pen costs 3 dollars and we buy 4, so 4 × 3 = 12.",
        text.substring(thinking.get("start").asInt(), thinking.get("end").asInt()));
    assertEquals(6, o.get("spans").size());
    assertEquals(1, out.lines().count(), "one JSON object per line");
  }

  @Test
  void templateWithoutATemplateSaysWhatIsNeeded() {
    CliRun r = CliRun.of("format", "--format", "template", file);
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("thinklab format: --format template needs --tokenizer DIR or --chat-template FILE"),
        r.err());
  }
}
