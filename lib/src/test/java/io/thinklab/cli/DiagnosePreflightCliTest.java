package io.thinklab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.tokens.TinyTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosePreflightCliTest {

  /** Runs the CLI, returning exit code and stdout. */
  static Object[] run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true));
    try {
      int code = ThinkLab.commandLine().execute(args);
      return new Object[] {code, out.toString()};
    } finally {
      System.setOut(old);
    }
  }

  static Path data(Path dir) throws Exception {
    Path f = dir.resolve("rows.jsonl");
    Files.write(f, List.of(
        "{\"id\":\"short\",\"problem\":\"a b\",\"thinking\":\"a b c\",\"solution\":\"c\"}",
        "{\"id\":\"long\",\"problem\":\"a b\",\"thinking\":\"" + "a ".repeat(3000).strip() + "\",\"solution\":\"c\"}"));
    return f;
  }

  @Test
  void diagnoseJsonHasTheSeedKeys(@TempDir Path dir) throws Exception {
    Object[] r = run("diagnose", data(dir).toString(), "--tokenizer", TinyTokenizer.write(dir.resolve("t")).toString(),
        "--cutoffs", "2048,4096", "--json");
    assertEquals(0, r[0]);
    JsonNode j = new ObjectMapper().readTree((String) r[1]);
    assertEquals(2, j.get("total_examples").asInt());
    assertEquals(3011, j.get("full_summary").get("max").asInt()); // 14 + 3000 - 3
    assertEquals(1, j.get("per_cutoff").get("2048").get("full_truncated").asInt());
    assertEquals(50.0, j.get("per_cutoff").get("2048").get("eos_survives_pct").asDouble());
    assertEquals(2, j.get("per_cutoff").get("4096").get("end_think_survives").asInt());
    assertEquals(4096, j.get("recommended_cutoff").asInt());
  }

  @Test
  void preflightExitsOneOnFailAndTwoOnBadInput(@TempDir Path dir) throws Exception {
    String tok = TinyTokenizer.write(dir.resolve("t")).toString();
    String rows = data(dir).toString();
    Object[] fail = run("preflight", "tiny-glm-cpu-truncated", "--set", "tokenizer.path=" + tok, "--set",
        "data.0.path=" + rows);
    assertEquals(1, fail[0], (String) fail[1]);
    assertTrue(((String) fail[1]).contains("FAIL  truncation"), (String) fail[1]);
    Object[] pass = run("preflight", "tiny-glm-cpu-truncated", "--set", "tokenizer.path=" + tok, "--set",
        "data.0.path=" + rows, "--set", "max_length=4096", "--json");
    assertEquals(0, pass[0], (String) pass[1]);
    assertEquals("PASS", new ObjectMapper().readTree((String) pass[1]).get("verdict").asText());
    assertEquals(2, run("preflight", "tiny-glm-cpu-truncated", "--set", "train.nope=1")[0]);
  }
}
