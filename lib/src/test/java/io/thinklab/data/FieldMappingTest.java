package io.thinklab.data;

import static io.thinklab.data.Fixtures.jsonl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldMappingTest {
  private static final String LONG = "long enough thinking, well over twenty characters";

  @TempDir
  Path dir;

  @Test
  void questionReasoningAnswerIsDetectedAndReported() {
    Path f = jsonl(dir, "qa.jsonl", "{\"question\":\"Q\",\"reasoning\":\"" + LONG + "\",\"answer\":\"A\"}");
    LoadResult r = Dataset.load(f).strict().read();
    assertEquals("qa (question/reasoning/answer), detected", r.mapping());
    Triplet t = r.triplets().get(0);
    assertEquals(List.of("Q", LONG, "A"), List.of(t.problem(), t.thinking(), t.solution()));
  }

  @Test
  void promptCotResponseIsDetected() {
    Path f = jsonl(dir, "p.jsonl", "{\"prompt\":\"Q\",\"cot\":\"" + LONG + "\",\"response\":\"A\"}");
    LoadResult r = Dataset.load(f).read();
    assertEquals(1, r.accepted());
    assertTrue(r.mapping().startsWith("prompt (prompt/cot/response)"));
  }

  @Test
  void explicitMappingWinsAndIsReported() {
    Path f = jsonl(dir, "c.jsonl", "{\"instruction\":\"Q\",\"rationale\":\"" + LONG + "\",\"output\":\"A\"}");
    LoadResult r = Dataset.load(f).mapping(FieldMapping.parse("problem=instruction,thinking=rationale,solution=output"))
        .strict().read();
    assertEquals("custom (instruction/rationale/output), given", r.mapping());
    assertEquals("Q", r.triplets().get(0).problem());
  }

  @Test
  void parseKnowsTheNamesAndRefusesNonsense() {
    assertEquals(FieldMapping.SEED, FieldMapping.parse("seed"));
    assertEquals(FieldMapping.MESSAGES, FieldMapping.parse("messages"));
    assertThrows(IllegalArgumentException.class, () -> FieldMapping.parse("problem=a,thinking=b"));
    assertThrows(IllegalArgumentException.class, () -> FieldMapping.parse("whatever"));
  }

  @Test
  void aRowWithTwoCompleteMappingsIsAnErrorNotAGuess() {
    Path f = jsonl(dir, "amb.jsonl", "{\"problem\":\"P\",\"thinking\":\"" + LONG + "\",\"solution\":\"S\","
        + "\"question\":\"Q\",\"reasoning\":\"" + LONG + "\",\"answer\":\"A\"}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.load(f).lenient().read());
    assertTrue(e.getMessage().contains("amb.jsonl:1: ambiguous row"), e.getMessage());
    assertTrue(e.getMessage().contains("seed (problem/thinking/solution)") && e.getMessage().contains("qa ("));
    assertEquals(1, Dataset.load(f).mapping(FieldMapping.SEED).read().accepted());
  }

  @Test
  void mixedMappingsInOneFileAreAnError() {
    Path f = jsonl(dir, "mixed.jsonl",
        "{\"problem\":\"P\",\"thinking\":\"" + LONG + "\",\"solution\":\"S\"}",
        "{\"question\":\"Q\",\"reasoning\":\"" + LONG + "\",\"answer\":\"A\"}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.load(f).read());
    assertTrue(e.getMessage().contains("mixed.jsonl:2:") && e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void rowsWithNoKnownFieldsAreMissingFieldRejectsListingTheTable() {
    Path f = jsonl(dir, "none.jsonl", "{\"text\":\"hello\"}");
    Reject j = Dataset.load(f).read().rejects().get(0);
    assertEquals(RejectReason.MISSING_FIELD, j.reason());
    assertTrue(j.message().contains("qa (question/reasoning/answer)"), j.message());
  }

  @Test
  void messagesWithReasoningContent() {
    Path f = jsonl(dir, "m.jsonl", "{\"id\":\"m1\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"Q\"},"
        + "{\"role\":\"assistant\",\"content\":\"A\",\"reasoning_content\":\"" + LONG + "\"}],\"source\":\"x\"}");
    LoadResult r = Dataset.load(f).strict().read();
    assertEquals("messages (role/content turns), detected", r.mapping());
    Triplet t = r.triplets().get(0);
    assertEquals(List.of("m1", "Q", LONG, "A"), List.of(t.id(), t.problem(), t.thinking(), t.solution()));
    assertEquals("Be brief.", t.metadata().get("system"));
    assertEquals("x", t.metadata().get("source"));
  }

  @Test
  void messagesWithInlineThinkBlock() {
    Path f = jsonl(dir, "i.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"},"
        + "{\"role\":\"assistant\",\"content\":\"<think>\\n" + LONG + "\\n</think>\\n\\nThe answer.\"}]}");
    Triplet t = Dataset.load(f).strict().read().triplets().get(0);
    assertEquals("\n" + LONG + "\n", t.thinking());
    assertEquals("\n\nThe answer.", t.solution());
    assertEquals("The answer.", TrainingFormat.plain().format(t).segmentText(Segment.SOLUTION));
  }

  @Test
  void badMessagesRowsAreMissingFieldWithAReason() {
    Path f = jsonl(dir, "bad.jsonl",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"<think>never closed\"}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"no thinking\"}]}",
        "{\"messages\":[{\"role\":\"assistant\",\"content\":\"<think>" + LONG + "</think>A\"}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"\"},{\"role\":\"assistant\",\"content\":\"<think>" + LONG
            + "</think>A\"}]}");
    List<Reject> rejects = Dataset.load(f).read().rejects();
    assertEquals(5, rejects.size());
    assertTrue(rejects.get(0).message().contains("no assistant turn"));
    assertTrue(rejects.get(1).message().contains("never closes"));
    assertTrue(rejects.get(2).message().contains("neither 'reasoning_content' nor"));
    assertTrue(rejects.get(3).message().contains("no user turn"));
    assertEquals(RejectReason.EMPTY_FIELD, rejects.get(4).reason());
    assertEquals(4, rejects.stream().filter(j -> j.reason() == RejectReason.MISSING_FIELD).count());
  }
}
