package io.thinklab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.data.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataStatsCommandTest {
  private final String file = Fixtures.resource("done-when.jsonl").toString();

  @Test
  void textReportsCountsReasonsAndLengths() {
    CliRun r = CliRun.of("data", "stats", file);
    assertEquals(0, r.exitCode(), r.err());
    String out = r.out();
    assertTrue(out.contains("rows read         5\n"), out);
    assertTrue(out.contains("accepted          2\n"), out);
    assertTrue(out.contains("rejected          3\n"), out);
    assertTrue(out.contains("  bad_json             1\n"), out);
    assertTrue(out.contains("  missing_field        1\n"), out);
    assertTrue(out.contains("  empty_field          1\n"), out);
    assertTrue(out.contains("  duplicate_id         0\n"), out);
    assertTrue(out.contains(file + ":3: missing_field: missing field 'solution'"), out);
    // accepted rows: problems of 61 and 32 characters, thinking of 53 and 52, solutions of 10 and 2
    assertTrue(out.contains("problem           2      32      46.5      61      61      61\n"), out);
    assertTrue(out.contains("thinking          2      52      52.5      53      53      53\n"), out);
    assertTrue(out.contains("solution          2       2       6.0      10      10      10\n"), out);
  }

  @Test
  void jsonIsOneObjectWithTheContractFields() throws Exception {
    CliRun r = CliRun.of("data", "stats", file, "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode o = new ObjectMapper().readTree(r.out());
    assertEquals(5, o.get("rows_read").asInt());
    assertEquals(2, o.get("accepted").asInt());
    assertEquals(3, o.get("rejected").asInt());
    JsonNode by = o.get("rejects_by_reason");
    List<String> reasons = new ArrayList<>();
    by.fieldNames().forEachRemaining(reasons::add);
    assertEquals(List.of("bad_json", "missing_field", "empty_field", "short_thinking", "invalid_utf8", "duplicate_id"),
        reasons);
    assertEquals(1, by.get("bad_json").asInt());
    assertEquals(0, by.get("short_thinking").asInt());
    JsonNode rejects = o.get("rejects");
    assertEquals(3, rejects.size());
    assertEquals(2, rejects.get(0).get("line").asInt());
    assertEquals("bad_json", rejects.get(0).get("reason").asText());
    assertEquals("missing_field", rejects.get(1).get("reason").asText());
    assertEquals(4, rejects.get(2).get("line").asInt());
    assertTrue(rejects.get(2).get("message").asText().contains("empty"));
    assertEquals(53, o.at("/char_lengths/thinking/max").asInt());
    assertEquals(46.5, o.at("/char_lengths/problem/mean").asDouble());
  }

  @Test
  void strictFailsNamingFileLineAndReason() {
    CliRun r = CliRun.of("data", "stats", "--strict", file);
    assertEquals(2, r.exitCode());
    assertTrue(r.err().startsWith("thinklab data stats: " + file + ":2: bad_json: "), r.err());
  }

  @Test
  void minThinkingMovesRowsToShortThinking() throws Exception {
    JsonNode o = new ObjectMapper().readTree(CliRun.of("data", "stats", file, "--json", "--min-thinking", "53").out());
    assertEquals(1, o.get("accepted").asInt());
    assertEquals(1, o.at("/rejects_by_reason/short_thinking").asInt());
    assertEquals(5, o.get("rows_read").asInt());
  }

  @Test
  void textListsTheFirstRejectsAndJsonListsAll(@TempDir Path dir) throws Exception {
    String[] lines = new String[26];
    lines[0] = Fixtures.row("1", "P", "thinking long enough for the filter", "S");
    for (int i = 1; i < lines.length; i++) {
      lines[i] = "{broken " + i;
    }
    String gz = Fixtures.gzip(dir, "many.jsonl.gz", lines).toString();
    String text = CliRun.of("data", "stats", gz).out();
    assertTrue(text.contains(gz + ":21: bad_json"), text);
    assertTrue(!text.contains(gz + ":22: bad_json"), text);
    assertTrue(text.contains("  … and 5 more (--json lists them all)\n"), text);
    JsonNode o = new ObjectMapper().readTree(CliRun.of("data", "stats", gz, "--json").out());
    assertEquals(26, o.get("rows_read").asInt());
    assertEquals(25, o.get("rejects").size());
    assertEquals(26, o.get("rejects").get(24).get("line").asInt());
  }

  @Test
  void missingFileIsOneClearLine() {
    CliRun r = CliRun.of("data", "stats", "no/such.jsonl");
    assertEquals(2, r.exitCode());
    assertEquals("thinklab data stats: no/such.jsonl: no such file (for a Hugging Face dataset write hf:owner/name)\n",
        r.err());
  }
}
