package io.thinklab.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.data.Triplet;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TripletFilesTest {

  @Test
  void concatReadsLazilyOneRowAtATime(@TempDir Path dir) {
    TripletFiles a = TripletFiles.open(Fixtures.glmLike(dir.resolve("a.jsonl"), 1000, 0, 0, 3));
    TripletFiles b = TripletFiles.open(Fixtures.glmLike(dir.resolve("b.jsonl"), 5, 0, 0, 3));
    Iterator<Triplet> it = TripletFiles.concat(List.of(a, b)).iterator();
    it.next();
    assertTrue(a.rowsRead() <= 2, "read ahead " + a.rowsRead() + " rows: the corpus would be buffered");
    int n = 1;
    while (it.hasNext()) {
      it.next();
      n++;
    }
    assertEquals(1005, n);
    assertEquals(List.of(1000, 5), List.of(a.rowsKept(), b.rowsKept()));
  }

  @Test
  void rowCapStopsReading(@TempDir Path dir) {
    TripletFiles f = TripletFiles.open(Fixtures.glmLike(dir.resolve("a.jsonl"), 100, 0, 0, 3), RunFile.Filters.NONE, 7);
    int n = 0;
    for (Triplet t : f) {
      n++;
    }
    assertEquals(7, n);
    assertEquals(7, f.rowsRead());
  }
}
