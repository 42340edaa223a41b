package io.thinklab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Dataset#stream()} gives what {@link Dataset#read()} gives, without holding the rows. */
class DatasetStreamTest {

  @TempDir
  Path dir;

  private Path file(int good) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < good; i++) {
      lines.add("{\"id\":\"r" + i + "\",\"problem\":\"p" + i + "\",\"thinking\":\"thinking that is long enough " + i
          + "\",\"solution\":\"s\"}");
      if (i % 100 == 7) {
        lines.add("{not json");
      }
    }
    lines.add("{\"id\":\"r3\",\"problem\":\"p\",\"thinking\":\"thinking that is long enough\",\"solution\":\"s\"}");
    Path f = dir.resolve("rows.jsonl");
    Files.write(f, lines);
    return f;
  }

  @Test
  void streamEqualsReadWithTheSameRejects() throws Exception {
    Path f = file(1000); // more rows than the hand-over queue holds
    LoadResult read = Dataset.load(f).read();
    Dataset.Streamed stream = Dataset.load(f).stream();
    assertNull(stream.result(), "no pass yet");
    List<String> ids = new ArrayList<>();
    stream.forEach(t -> ids.add(t.id()));
    assertEquals(read.triplets().stream().map(Triplet::id).toList(), ids);
    assertEquals(read.rowsRead(), stream.result().rowsRead());
    assertEquals(read.byReason(), stream.result().byReason());
    assertEquals(10, stream.result().byReason().get(RejectReason.BAD_JSON));
    assertEquals(1, stream.result().byReason().get(RejectReason.DUPLICATE_ID));
    assertEquals(1000, stream.accepted());
    assertEquals(read.summary(), stream.summary());
    List<String> again = new ArrayList<>();
    stream.forEach(t -> again.add(t.id()));
    assertEquals(ids, again, "every iteration reads the file again");
  }

  @Test
  void maxRowsCapsAcceptedRowsInBothModes() throws Exception {
    Path f = file(1000);
    assertEquals(50, Dataset.load(f).maxRows(50).read().accepted());
    Dataset.Streamed s = Dataset.load(f).maxRows(50).stream();
    int n = 0;
    for (Triplet t : s) {
      n++;
    }
    assertEquals(50, n);
    assertEquals(51, s.result().rowsRead(), "50 rows and the bad line among them");
  }

  @Test
  void strictStreamThrowsAtTheBadLineAndCloseStopsEarly() throws Exception {
    Path f = file(1000);
    Dataset.Rows it = Dataset.load(f).strict().stream().iterator();
    LoadException e = assertThrows(LoadException.class, () -> {
      while (it.hasNext()) {
        it.next();
      }
    });
    assertEquals(9, e.reject().line());
    Dataset.Streamed s = Dataset.load(f).stream();
    try (Dataset.Rows rows = s.iterator()) {
      rows.next();
    }
    assertNull(s.result(), "a closed pass is not a complete one");
    try (Dataset.Rows rows = Dataset.load(f).stream().iterator()) {
      assertFalse(rows.next().id().isEmpty());
    }
  }
}
