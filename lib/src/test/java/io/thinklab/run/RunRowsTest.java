package io.thinklab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.data.Dataset;
import io.thinklab.data.Splits;
import io.thinklab.data.Triplet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code max_rows} as the seed did it: a seeded shuffle, then the first rows; deterministic. */
class RunRowsTest {

  static Path rows(Path file, int n) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add("{\"id\":\"r" + i + "\",\"problem\":\"p\",\"thinking\":\"a thinking of more than twenty"
          + " characters, row " + i + "\",\"solution\":\"s\"}");
    }
    Files.write(file, lines);
    return file;
  }

  static RunFile.Data entry(Path file, String... sets) {
    List<String> all = new ArrayList<>(List.of("data.0.path=" + file));
    all.addAll(List.of(sets));
    return RunFiles.resolve("nanbeige4-3b-glm12k-seed", all).data().get(0);
  }

  static List<String> ids(RunRows rows) {
    return rows.toList().stream().map(Triplet::id).toList();
  }

  @Test
  void theSeedsRunDrawsWithSeed42ByDefault() {
    RunFile.Data d = RunFiles.resolve("nanbeige4-3b-glm12k-seed", List.of()).data().get(0);
    assertEquals(12_000, d.maxRows());
    assertTrue(d.shuffle());
    assertEquals(42, d.seed());
  }

  @Test
  void aCapDrawsWithTheSeedDeterministically(@TempDir Path dir) throws Exception {
    Path f = rows(dir.resolve("rows.jsonl"), 100);
    RunFile.Data d = entry(f, "data.0.max_rows=10");
    RunRows rows = RunRows.of(RunSources.data(d, dir));
    List<String> first = ids(rows);
    assertEquals(first, ids(rows), "a second pass draws the same rows in the same order");
    assertEquals(first, ids(RunRows.of(RunSources.data(d, dir))), "and so does a fresh reader");
    List<String> all = Dataset.load(f).read().triplets().stream().map(Triplet::id).toList();
    assertEquals(Splits.select(all, 10, 42), first, "Splits.select(rows, max_rows, seed) on the rows that pass");
    assertEquals(10, rows.rowsKept());
    assertEquals(100, rows.rowsPassed());
    assertEquals("10 of 100 drawn with seed 42", rows.selection());

    List<String> other = ids(RunRows.of(RunSources.data(entry(f, "data.0.max_rows=10", "data.0.seed=7"), dir)));
    assertNotEquals(first, other, "another seed draws other rows");
    assertEquals(Splits.select(all, 10, 7), other);
  }

  @Test
  void noCapOrNoNeedToCutKeepsFileOrder(@TempDir Path dir) throws Exception {
    Path f = rows(dir.resolve("rows.jsonl"), 30);
    List<String> inOrder = Dataset.load(f).read().triplets().stream().map(Triplet::id).toList();
    RunRows all = RunRows.of(RunSources.data(entry(f, "data.0.max_rows=0"), dir));
    assertEquals(inOrder, ids(all), "max_rows 0: every row, in file order");
    assertEquals("", all.selection());
    assertEquals(inOrder, ids(RunRows.of(RunSources.data(entry(f, "data.0.max_rows=30"), dir))),
        "no more rows than max_rows: nothing to draw (the seed shuffled only when cutting)");
    RunRows firstRows = RunRows.of(RunSources.data(entry(f, "data.0.max_rows=5", "data.0.shuffle=false"), dir));
    assertEquals(inOrder.subList(0, 5), ids(firstRows), "shuffle: false keeps the first max_rows");
    assertEquals("the first 5 of 30", firstRows.selection());
  }
}
