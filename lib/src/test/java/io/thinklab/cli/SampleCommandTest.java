package io.thinklab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SampleCommandTest {

  @Test
  void generateWritesTheRequestedRows(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("x.jsonl");
    int rc = ThinkLab.commandLine().execute("sample", "generate", "--style", "glm", "--scale", "mini",
        "--rows", "7", "--seed", "3", "--out", out.toString());
    assertEquals(0, rc);
    assertEquals(7, Files.readAllLines(out).size());
    assertTrue(Files.readString(out).contains("\"style\":\"glm-style\""));
  }

  @Test
  void aBadStyleIsOneClearLineAndExitTwo(@TempDir Path tmp) {
    CommandLine cl = ThinkLab.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int rc = cl.execute("sample", "generate", "--style", "gpt", "--rows", "3", "--out", tmp.resolve("y.jsonl").toString());
    assertEquals(2, rc);
    assertTrue(err.toString().contains("unknown style 'gpt'"), err.toString());
  }
}
