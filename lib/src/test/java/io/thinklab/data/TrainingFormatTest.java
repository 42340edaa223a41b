package io.thinklab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TrainingFormatTest {

  @Test
  void plainIsTheSeedFormatByteForByte() {
    Triplet t = Triplet.of("1", "  What is 2+2? \n", "\n2 plus 2 is 4.  ", " The answer is 4.\n");
    FormattedExample ex = TrainingFormat.plain().format(t);
    assertEquals("User: What is 2+2?\nAssistant: <think>\n2 plus 2 is 4.\n</think>\nThe answer is 4.</s>", ex.text());
    assertEquals("User: What is 2+2?\n", ex.prompt());
    assertEquals("Assistant: <think>\n2 plus 2 is 4.\n</think>\nThe answer is 4.</s>", ex.completion());
  }

  @Test
  void spansCoverTheTextWithoutGapsAndHoldEachSegment() {
    Triplet t = Triplet.of("7", "Q", "think hard", "A");
    FormattedExample ex = TrainingFormat.plain("<|endoftext|>").format(t);
    assertEquals("think hard", ex.segmentText(Segment.THINKING));
    assertEquals("A", ex.segmentText(Segment.SOLUTION));
    assertEquals("<|endoftext|>", ex.segmentText(Segment.EOS));
    assertEquals("\n</think>\n", ex.segmentText(Segment.THINK_CLOSE));
    int pos = 0;
    for (Span s : ex.spans()) {
      assertEquals(pos, s.start(), "gap before " + s.segment());
      pos = s.end();
    }
    assertEquals(ex.text().length(), pos);
    assertEquals(Segment.values().length, ex.spans().size());
  }
}
