package io.thinklab.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.data.Triplet;
import io.thinklab.run.RunFile;
import io.thinklab.run.RunFiles;
import io.thinklab.train.TrainData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rows the preflight measures are the rows {@code thinklab train} trains on, ids in the same order. Before
 * {@code io.thinklab.run.RunRows} they were not: the preflight capped {@code max_rows} before the marker and
 * {@code max_chars} filters and the trainer after them, and the trainer kept blank thinking despite
 * {@code non_empty}. The fixture trips all three.
 */
class MeasuredIsTrainedTest {

  /** 40 rows r0..r39: every 5th has a marker in its problem, every 7th a blank thinking, every 11th is too long. */
  static Path mixed(Path file) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String problem = i % 5 == 1 ? "a <think> b" : "a b";
      String thinking = i % 7 == 2 ? "" : i % 11 == 3 ? "a ".repeat(200).strip() : "a b c";
      lines.add("{\"id\":\"r" + i + "\",\"problem\":\"" + problem + "\",\"thinking\":\"" + thinking
          + "\",\"solution\":\"c\"}");
    }
    Files.write(file, lines);
    return file;
  }

  static List<String> ids(Iterable<Triplet> rows) {
    List<String> ids = new ArrayList<>();
    rows.forEach(t -> ids.add(t.id()));
    return ids;
  }

  static RunFile run(Path data, String... more) {
    List<String> sets = new ArrayList<>(List.of("data.0.path=" + data, "data.0.max_rows=12",
        "data.0.filters.max_chars=100", "data.0.filters.non_empty=true", "data.0.filters.no_markers_in_fields=true"));
    sets.addAll(List.of(more));
    return RunFiles.resolve("tiny-opus-cpu", sets);
  }

  @Test
  void theShuffledCapGivesTheSameIdsInTheSameOrder(@TempDir Path dir) throws Exception {
    RunFile r = run(mixed(dir.resolve("mixed.jsonl")), "data.0.shuffle=true");
    List<String> measured = ids(Preflight.measuredRows(r, dir));
    List<String> trained = ids(TrainData.readData(r, dir, s -> {}));
    assertEquals(12, measured.size(), measured.toString());
    assertEquals(measured, trained);
    assertTrue(measured.stream().noneMatch(id -> {
      int i = Integer.parseInt(id.substring(1));
      return i % 5 == 1 || i % 7 == 2 || i % 11 == 3;
    }), "every filter applies before the cap: " + measured);
    assertFalse(measured.equals(measured.stream().sorted((a, b) -> Integer.compare(Integer.parseInt(a.substring(1)),
        Integer.parseInt(b.substring(1)))).toList()), "a seeded draw, not file order: " + measured);
  }

  @Test
  void theFirstRowsCapGivesTheSameIdsToo(@TempDir Path dir) throws Exception {
    RunFile r = run(mixed(dir.resolve("mixed.jsonl")), "data.0.shuffle=false");
    List<String> measured = ids(Preflight.measuredRows(r, dir));
    assertEquals(ids(TrainData.readData(r, dir, s -> {})), measured);
    // the first 12 rows that pass every filter (r1, r2, r3, r6, r9, r11 … are refused)
    assertEquals(List.of("r0", "r4", "r5", "r7", "r8", "r10", "r12", "r13", "r15", "r17", "r18", "r19"), measured);
  }

  @Test
  void theReportCountsTheTrainedRows(@TempDir Path dir) throws Exception {
    RunFile r = run(mixed(dir.resolve("mixed.jsonl")), "data.0.shuffle=true", "tokenizer.path="
        + io.thinklab.tokens.TinyTokenizer.write(dir.resolve("tok")));
    PreflightReport report = Preflight.check(r, dir);
    assertEquals(12, report.numbers().get("rows"), report.text());
    assertTrue(report.check("data").details().get(0).contains("12 of 24 drawn with seed 42"),
        report.check("data").details().toString());
  }
}
