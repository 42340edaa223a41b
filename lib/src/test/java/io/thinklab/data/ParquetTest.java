package io.thinklab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet files are written here with DuckDB itself, then read back through {@link Dataset}. */
class ParquetTest {
  @TempDir
  Path dir;

  private Path write(String name, String select) throws Exception {
    Path p = dir.resolve(name);
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      st.execute("COPY (" + select + ") TO '" + p + "' (FORMAT PARQUET)");
    }
    return p;
  }

  @Test
  void seedColumnsWithRowNumbersInRejects() throws Exception {
    Path p = write("opus.parquet", "SELECT * FROM (VALUES "
        + "('a', 'What is 6 × 7?', 'Six sevens: 7+7+7+7+7+7 = 42.', '42'), "
        + "('b', 'Empty answer?', 'Thinking that is long enough here.', ''), "
        + "('c', 'Null thinking?', NULL, 'x'), "
        + "('d', 'Short?', 'tiny', 'y')) AS t(id, problem, thinking, solution)");
    LoadResult r = Dataset.load(p).read();
    assertEquals(4, r.rowsRead());
    assertEquals(List.of("a"), r.triplets().stream().map(Triplet::id).toList());
    assertEquals("What is 6 × 7?", r.triplets().get(0).problem());
    assertEquals(List.of(2L, 3L, 4L), r.rejects().stream().map(Reject::line).toList());
    assertEquals(List.of(RejectReason.EMPTY_FIELD, RejectReason.MISSING_FIELD, RejectReason.SHORT_THINKING),
        r.rejects().stream().map(Reject::reason).toList());
    assertEquals("seed (problem/thinking/solution), detected", r.mapping());
  }

  @Test
  void chatMessagesAsAListOfStructs() throws Exception {
    Path p = write("chat.parquet", "SELECT 7 AS id, [{'role': 'user', 'content': 'Q', 'reasoning_content': NULL}, "
        + "{'role': 'assistant', 'content': 'A', 'reasoning_content': 'reasoning of a decent length'}] AS messages");
    Triplet t = Dataset.load(p).strict().read().triplets().get(0);
    assertEquals(List.of("7", "Q", "reasoning of a decent length", "A"),
        List.of(t.id(), t.problem(), t.thinking(), t.solution()));
    assertEquals("chat:1", Dataset.load(write("chat2.parquet", "SELECT [{'role': 'user', 'content': 'Q'}, "
        + "{'role': 'assistant', 'content': '<think>reasoning of a decent length</think>A'}] AS messages"))
        .strict().read().triplets().get(0).id().replace("chat2", "chat"));
  }

  @Test
  void aFileThatIsNotParquetNamesItself() {
    Path p = Fixtures.bytes(dir, "fake.parquet", "not parquet".getBytes());
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Dataset.load(p).read());
    assertTrue(e.getMessage().contains("fake.parquet: cannot read Parquet"), e.getMessage());
  }
}
