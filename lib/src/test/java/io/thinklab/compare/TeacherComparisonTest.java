package io.thinklab.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.compare.TeacherComparison.Comparison;
import io.thinklab.data.Triplet;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class TeacherComparisonTest {

  @TempDir
  Path dir;

  /** Whitespace words: exact counts for golden numbers. */
  static final ToIntFunction<String> WORDS = s -> s.isBlank() ? 0 : s.trim().split("\\s+").length;

  /** Long, self-correcting thinking; boxed answers; all correct. 40 thinking words, 4 solution words. */
  static Triplet opus(int i) {
    String thinking = "Let me now add the two parts slowly. Wait, I dropped a term. "
        + "Let me verify: the total is " + (i + 2) + " because both parts add up cleanly here. Actually "
        + "that is consistent, so I am confident with this result now, done.";
    return new Triplet("o" + i, "What is " + i + " + 2?", thinking, "The sum is \\boxed{" + (i + 2) + "}.", "",
        Map.of("answer", String.valueOf(i + 2)));
  }

  /** Short thinking, an "Answer:" line, wrong every other row. 10 thinking words, 2 solution words. */
  static Triplet glm(int i) {
    String thinking = "Add the numbers. It is probably " + (i + 2) + ", I think, yes.";
    int given = i % 2 == 0 ? i + 2 : i + 3;
    return new Triplet("g" + i, "What is " + i + " + 2?", thinking, "Answer: " + given + ".", "",
        Map.of("answer", String.valueOf(i + 2)));
  }

  static Comparison twoTeachers() {
    Map<String, List<Triplet>> data = new LinkedHashMap<>();
    data.put("opus-style", List.of(opus(1), opus(2), opus(3), opus(4)));
    data.put("glm-style", List.of(glm(1), glm(2), glm(3), glm(4), glm(5), glm(6), glm(7), glm(8)));
    return TeacherComparison.of(data, WORDS, "whitespace words");
  }

  @Test
  void profilesWithGoldenNumbers() {
    Comparison c = twoTeachers();
    DatasetProfile o = c.datasets().get(0);
    DatasetProfile g = c.datasets().get(1);
    assertEquals(4, o.rows());
    assertEquals(8, g.rows());
    assertEquals(40, o.thinkingTokens().median());
    assertEquals(4, o.solutionTokens().median());
    assertEquals(10, o.ratio().median());
    assertEquals(10, g.thinkingTokens().median());
    // opus: Wait, Actually = 2 self-corrections per 40 thinking words → 50 per 1k; Let me verify → 25 per 1k
    assertEquals(50, o.selfCorrectionsPer1k(), 1e-9);
    assertEquals(25, o.verificationsPer1k(), 1e-9);
    assertEquals(0, o.hedgesPer1k(), 0);
    // glm: probably, I think = 2 hedges per 10 thinking words → 200 per 1k
    assertEquals(200, g.hedgesPer1k(), 1e-9);
    assertEquals(1.0, o.boxedShare());
    assertEquals(0.0, o.answerLineShare());
    assertEquals(1.0, g.answerLineShare());
    assertEquals(4, o.withReference());
    assertEquals(1.0, o.accuracy());
    assertEquals(0.5, g.accuracy());
  }

  @Test
  void differencesInPlainWords() {
    Comparison c = twoTeachers();
    Map<String, Difference> byMetric = new LinkedHashMap<>();
    c.differences().forEach(d -> byMetric.put(d.metric(), d));
    Difference len = byMetric.get("thinkingTokens.median");
    assertEquals("opus-style", len.high());
    assertEquals(4.0, len.factor(), 1e-12);
    assertEquals("opus-style's median thinking length is 4.0× glm-style's (40.0 vs 10.0 tokens).", len.sentence());
    Difference acc = byMetric.get("accuracy");
    assertEquals("Share of final answers correct: opus-style 100 %, glm-style 50 % (50 points apart).",
        acc.sentence());
    assertEquals("glm-style", byMetric.get("hedgesPer1k").high());
    assertTrue(byMetric.get("hedgesPer1k").sentence().endsWith("opus-style has none."));
    assertNull(byMetric.get("loopingShare"), "no difference where both are equal");
  }

  @Test
  void summaryTableHasOneRowPerFigureAndOneColumnPerDataset() {
    Table t = twoTeachers().table();
    assertEquals(List.of("figure", "opus-style", "glm-style"), t.columnNames());
    assertEquals(TeacherComparison.metricKeys().size(), t.rowCount());
    assertEquals("rows", t.stringColumn("figure").get(0));
    assertEquals(8.0, t.doubleColumn("glm-style").get(0));
    assertTrue(twoTeachers().text().contains("Tokens counted as whitespace words."));
  }

  @Test
  void loadsJsonlAndGzipFilesWithTheDataLoader() throws Exception {
    String rows = """
        {"id": "a1", "problem": "1+1?", "thinking": "Wait. 1+1 = 2.", "solution": "Final answer: 2", "answer": 2, "kind": "add"}
        {"id": "a2", "problem": "2+2?", "thinking": "2+2 = 4.", "solution": "\\\\boxed{5}", "metadata": {"answer": "4"}}
        {"id": "a3", "problem": "3+3?", "thinking": "no solution"}
        """;
    Path plain = dir.resolve("opus-mini.jsonl");
    Files.writeString(plain, rows);
    Path gz = dir.resolve("glm-mini.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(rows.getBytes(StandardCharsets.UTF_8));
    }
    Comparison c = TeacherComparison.load(List.of(plain.toString(), gz.toString()));
    assertEquals(List.of("opus-mini", "glm-mini"), c.datasets().stream().map(DatasetProfile::name).toList());
    DatasetProfile p = c.datasets().get(1);
    assertEquals(2, p.rows()); // short thinking is kept: no minimum for a comparison
    assertEquals(1, p.rejected()); // the row without a solution
    assertEquals(2, p.withReference()); // top-level answer, and answer inside a nested metadata object
    assertEquals(0.5, p.accuracy()); // 2 is right, boxed 5 is wrong
    assertEquals("boxed", p.traces().get(1).answerRule());
    assertEquals("characters ÷ 4 (approximate)", c.tokenCounter());
    assertEquals(4, p.traces().get(0).thinkingTokens()); // 14 characters → 4
    assertEquals("glm-mini", TeacherComparison.name("data/glm-mini.jsonl.gz"));
    assertEquals("opus", TeacherComparison.name("runs/opus.parquet"));
  }

  @Test
  void figuresAndPng() throws Exception {
    Comparison c = twoTeachers();
    assertEquals(3, CompareFigures.lengths(c).size());
    assertEquals(2, CompareFigures.lengths(c).get(0).getTraces().length);
    assertEquals(3, CompareFigures.boxes(c).size());
    Path out = ComparePng.write(c, dir.resolve("lengths.png"), 900, 300);
    BufferedImage img = ImageIO.read(out.toFile());
    assertNotNull(img);
    assertEquals(900, img.getWidth());
    assertEquals(300, img.getHeight());
  }
}
