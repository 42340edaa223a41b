package io.thinklab.data;

import static io.thinklab.data.Fixtures.jsonl;
import static io.thinklab.data.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
  private static final String LONG = "long enough thinking, well over twenty characters";

  @TempDir
  Path dir;

  @Test
  void doneWhenFileLenientReportsExactlyTheThreeBadLines() {
    Path file = Fixtures.resource("done-when.jsonl");
    LoadResult r = Dataset.load(file).lenient().read();
    assertEquals(5, r.rowsRead());
    assertEquals(List.of("ok-1", "ok-2"), r.triplets().stream().map(Triplet::id).toList());
    assertEquals(3, r.rejected());
    assertEquals(List.of(2L, 3L, 4L), r.rejects().stream().map(Reject::line).toList());
    assertEquals(List.of(RejectReason.BAD_JSON, RejectReason.MISSING_FIELD, RejectReason.EMPTY_FIELD),
        r.rejects().stream().map(Reject::reason).toList());
    assertTrue(r.rejects().get(1).message().contains("'solution'"), r.rejects().get(1).message());
    assertEquals(file.toString(), r.rejects().get(0).file());
    assertEquals(1, r.byReason().get(RejectReason.BAD_JSON));
    assertEquals(0, r.byReason().get(RejectReason.DUPLICATE_ID));
    assertEquals(6, r.byReason().size());
  }

  @Test
  void doneWhenFileStrictFailsNamingTheFirstBadLine() {
    Path file = Fixtures.resource("done-when.jsonl");
    LoadException e = assertThrows(LoadException.class, () -> Dataset.load(file).strict().read());
    assertEquals(2, e.reject().line());
    assertEquals(RejectReason.BAD_JSON, e.reject().reason());
    assertTrue(e.getMessage().startsWith(file + ":2: bad_json: "), e.getMessage());
  }

  @Test
  void everyRejectReasonIsNamed() {
    ByteArrayOutputStream bad = new ByteArrayOutputStream();
    bad.writeBytes((row("a", "P", LONG, "S") + "\n").getBytes(StandardCharsets.UTF_8));
    bad.writeBytes("{not json}\n".getBytes(StandardCharsets.UTF_8));                           // 2
    bad.writeBytes("{\"problem\":\"P\",\"thinking\":\"x\"}\n".getBytes(StandardCharsets.UTF_8)); // 3
    bad.writeBytes((row("e", " ", LONG, "S") + "\n").getBytes(StandardCharsets.UTF_8));         // 4
    bad.writeBytes((row("s", "P", "too short", "S") + "\n").getBytes(StandardCharsets.UTF_8));  // 5
    bad.writeBytes(new byte[] {'{', '"', 'p', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'}); // 6
    bad.writeBytes((row("a", "P2", LONG, "S2") + "\n").getBytes(StandardCharsets.UTF_8));       // 7
    bad.writeBytes("[1, 2]\n".getBytes(StandardCharsets.UTF_8));                                // 8
    Path file = Fixtures.bytes(dir, "all.jsonl", bad.toByteArray());

    LoadResult r = Dataset.load(file).read();
    assertEquals(8, r.rowsRead());
    assertEquals(1, r.accepted());
    Map<Long, RejectReason> byLine = new java.util.TreeMap<>();
    r.rejects().forEach(j -> byLine.put(j.line(), j.reason()));
    assertEquals(Map.of(2L, RejectReason.BAD_JSON, 3L, RejectReason.MISSING_FIELD, 4L, RejectReason.EMPTY_FIELD,
        5L, RejectReason.SHORT_THINKING, 6L, RejectReason.INVALID_UTF8, 7L, RejectReason.DUPLICATE_ID,
        8L, RejectReason.BAD_JSON), byLine);
    for (RejectReason reason : RejectReason.values()) {
      assertTrue(r.byReason().get(reason) >= 1, reason + " not produced");
    }
    assertEquals(r.rowsRead(), r.accepted() + r.rejected(), "nothing lost");
    Reject dup = r.rejects().stream().filter(j -> j.reason() == RejectReason.DUPLICATE_ID).findFirst().orElseThrow();
    assertTrue(dup.message().contains(file + ":1"), dup.message());
    Reject missing = r.rejects().stream().filter(j -> j.line() == 3).findFirst().orElseThrow();
    assertTrue(missing.message().contains("'solution'"), missing.message());
  }

  @Test
  void strictFailsOnEachReasonToo() {
    Path file = jsonl(dir, "dup.jsonl", row("a", "P", LONG, "S"), row("a", "P", LONG, "S"));
    LoadException e = assertThrows(LoadException.class, () -> Dataset.load(file).strict().read());
    assertEquals(RejectReason.DUPLICATE_ID, e.reject().reason());
    assertTrue(e.getMessage().contains("dup.jsonl:2: duplicate_id"), e.getMessage());
  }

  @Test
  void seedFilterIsTwentyCharactersAndCanBeChanged() {
    String nineteen = "x".repeat(19);
    String twenty = "y".repeat(20);
    Path file = jsonl(dir, "f.jsonl", row("1", "P", nineteen, "S"), row("2", "P", "  " + twenty + "\\n", "S"));
    assertEquals(List.of("2"), Dataset.load(file).read().triplets().stream().map(Triplet::id).toList());
    assertEquals(2, Dataset.load(file).minThinkingChars(0).read().accepted());
    assertEquals(0, Dataset.load(file).minThinkingChars(21).read().accepted());
  }

  @Test
  void idsComeFromTheRowOrFileStemAndLine() {
    Path file = jsonl(dir, "opus.jsonl",
        "{\"problem\":\"P\",\"thinking\":\"" + LONG + "\",\"solution\":\"S\",\"kind\":\"percent\"}",
        "",
        "{\"id\":7,\"problem\":\"P\",\"thinking\":\"" + LONG + "\",\"solution\":\"S\"}");
    LoadResult r = Dataset.load(file).read();
    assertEquals(2, r.rowsRead(), "a blank line is not a row");
    assertEquals("opus:1", r.triplets().get(0).id());
    assertEquals("7", r.triplets().get(1).id());
    assertEquals(file + ":3", r.triplets().get(1).source());
    assertEquals(Map.of("kind", "percent"), r.triplets().get(0).metadata());
  }

  @Test
  void crlfAndByteOrderMarkAreTolerated() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    String text = row("1", "P", LONG, "S") + "\r\n" + row("2", "P", LONG, "S") + "\r\n";
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(bom);
    b.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    LoadResult r = Dataset.load(Fixtures.bytes(dir, "crlf.jsonl", b.toByteArray())).strict().read();
    assertEquals(2, r.accepted());
    assertEquals("S", r.triplets().get(1).solution());
  }

  @Test
  void gzippedJsonlReadsLikePlainJsonl() {
    Path gz = Fixtures.gzip(dir, "d.jsonl.gz", row("1", "P", LONG, "S"), "{bad", row("2", "Q", LONG, "T"));
    LoadResult r = Dataset.load(gz).read();
    assertEquals(3, r.rowsRead());
    assertEquals(List.of("1", "2"), r.triplets().stream().map(Triplet::id).toList());
    assertEquals(2, r.rejects().get(0).line());
    assertEquals("d", Dataset.stem(gz));
  }

  @Test
  void aFolderLoadsItsFilesInNameOrderAndChecksIdsAcrossThem() {
    Path sub = dir.resolve("folder");
    sub.toFile().mkdirs();
    jsonl(sub, "a.jsonl", row("1", "P", LONG, "S"));
    Fixtures.gzip(sub, "b.jsonl.gz", row("1", "P", LONG, "S"), row("2", "P", LONG, "S"));
    LoadResult r = Dataset.load(sub).read();
    assertEquals(3, r.rowsRead());
    assertEquals(List.of("1", "2"), r.triplets().stream().map(Triplet::id).toList());
    assertEquals(RejectReason.DUPLICATE_ID, r.rejects().get(0).reason());
    assertTrue(r.rejects().get(0).file().endsWith("b.jsonl.gz"));
  }

  @Test
  void aMissingFileNamesItself() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.load(dir.resolve("nope.jsonl")).read());
    assertTrue(e.getMessage().contains("nope.jsonl: no such file"), e.getMessage());
  }

  @Test
  void summaryAndLengths() {
    Path file = jsonl(dir, "s.jsonl", row("1", "abc", LONG, "S"), row("2", "abcde", LONG, "SS"), "{x");
    LoadResult r = Dataset.load(file).read();
    assertEquals(file + ": 3 rows, 2 accepted, 1 rejected (bad_json 1); mapping seed (problem/thinking/solution), detected",
        r.summary());
    assertEquals(new LengthStats(2, 3, 4.0, 5, 5, 5), r.lengths().problem());
  }
}
