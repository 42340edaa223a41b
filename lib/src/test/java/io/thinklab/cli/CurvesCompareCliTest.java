package io.thinklab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CurvesCompareCliTest {

  @TempDir
  Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    CommandLine cl = ThinkLab.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** A metrics.jsonl of n steps over the given epochs, loss from {@code loss(i)}. */
  private Path metrics(String run, int n, int epochs, java.util.function.IntToDoubleFunction loss) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append(String.format(Locale.ROOT,
          "{\"step\": %d, \"epoch\": %.4f, \"loss\": %.5f, \"lr\": 2e-4, \"grad_norm\": %.3f, \"tokens\": 4096, "
              + "\"tokens_per_s\": 1500.0, \"elapsed_s\": %.1f}%n",
          i, (double) i * epochs / n, loss.applyAsDouble(i), 1.0 + 0.05 * Math.sin(i), i * 2.7));
    }
    Path p = dir.resolve(run).resolve("metrics.jsonl");
    Files.createDirectories(p.getParent());
    Files.writeString(p, sb.toString());
    return p;
  }

  @Test
  void curvesJsonAndPngForTwoRuns() throws Exception {
    Path healthy = metrics("healthy", 120, 1, i -> 0.8 + 1.5 * Math.exp(-i / 12.0) + 0.02 * Math.sin(i * 1.7));
    Path twoEpochs = metrics("two-epochs", 100, 2, i -> i <= 50 ? 1.2 + 0.01 * Math.sin(i) : 0.8);
    Path png = dir.resolve("out/curves.png");
    Result r = run("curves", healthy.toString(), "memorised=" + twoEpochs, "--json", "--png", png.toString(),
        "--width", "800", "--height", "600");
    assertEquals(0, r.code(), r.err());
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertEquals(0.9, doc.get("smoothing").asDouble());
    assertEquals(2, doc.get("runs").size());
    JsonNode first = doc.get("runs").get(0);
    assertEquals("healthy", first.get("run").asText());
    assertTrue(first.get("healthy").asBoolean(), r.out());
    JsonNode second = doc.get("runs").get(1);
    assertEquals("memorised", second.get("run").asText());
    // flat in epoch 1 (it never learned), then a drop when the same rows come round again
    assertEquals("flat-early", second.get("findings").get(0).get("name").asText(), r.out());
    assertEquals("epoch-drop", second.get("findings").get(1).get("name").asText(), r.out());
    assertEquals(0.10, second.get("findings").get(1).get("thresholds").get("epochDrop").asDouble());
    assertEquals(51, second.get("findings").get(1).get("numbers").get("step").asInt());
    assertEquals(2, second.get("epochMeans").size());
    BufferedImage img = ImageIO.read(png.toFile());
    assertNotNull(img);
    assertEquals(800, img.getWidth());
    assertEquals(600, img.getHeight());
  }

  @Test
  void curvesTextAndErrors() throws Exception {
    Path healthy = metrics("healthy", 120, 1, i -> 0.8 + 1.5 * Math.exp(-i / 12.0));
    Result r = run("curves", healthy.toString(), "--smoothing", "0.6");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("healthy: 120 steps, loss "), r.out());

    Result bad = run("curves", healthy.toString(), "--smoothing", "1.5");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--smoothing must be in [0, 1)"), bad.err());

    Path broken = dir.resolve("broken.jsonl");
    Files.writeString(broken, "{\"step\": 1, \"loss\": 2}\nnot json\n");
    Result err = run("curves", broken.toString());
    assertEquals(2, err.code());
    assertTrue(err.err().contains(broken + ":2: not JSON"), err.err());
  }

  @Test
  void compareJsonHasOneObjectPerDatasetAndTheDifferences() throws Exception {
    Path a = dir.resolve("opus-mini.jsonl");
    Path b = dir.resolve("glm-mini.jsonl");
    StringBuilder sa = new StringBuilder();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      sa.append(String.format(Locale.ROOT, "{\"id\": \"a%d\", \"problem\": \"%d+1?\", \"thinking\": \"%s\", "
          + "\"solution\": \"So \\\\boxed{%d}\", \"metadata\": {\"answer\": \"%d\"}}%n", i, i,
          "Let me work it out step by step. Wait, check the carry. Let me verify: it holds. ".repeat(3), i + 1, i + 1));
      sb.append(String.format(Locale.ROOT, "{\"id\": \"b%d\", \"problem\": \"%d+1?\", \"thinking\": \"It is %d.\", "
          + "\"solution\": \"Answer: %d\", \"metadata\": {\"answer\": \"%d\"}}%n", i, i, i + 1, i + 2, i + 1));
    }
    Files.writeString(a, sa.toString());
    Files.writeString(b, sb.toString());
    Path png = dir.resolve("lengths.png");
    Result r = run("compare", a.toString(), b.toString(), "--json", "--png", png.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertEquals(2, doc.get("datasets").size());
    JsonNode opus = doc.get("datasets").get(0);
    assertEquals("opus-mini", opus.get("name").asText());
    assertEquals(6, opus.get("rows").asInt());
    assertEquals(1.0, opus.get("accuracy").asDouble());
    assertEquals(0.0, doc.get("datasets").get(1).get("accuracy").asDouble());
    assertTrue(opus.get("thinkingTokens").get("median").asDouble() > 50);
    assertTrue(opus.get("traces") == null, "per-row measurements stay out of the JSON");
    assertTrue(doc.get("differences").size() >= 3, r.out());
    assertEquals("thinkingTokens.median", doc.get("differences").get(0).get("metric").asText());
    assertTrue(Files.size(png) > 1000);

    Result text = run("compare", a.toString(), b.toString());
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().contains("median thinking length"), text.out());
    assertTrue(text.out().contains("- opus-mini's median thinking length is"), text.out());
  }
}
