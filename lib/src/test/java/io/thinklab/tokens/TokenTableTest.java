package io.thinklab.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.thinklab.data.FormattedExample;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class TokenTableTest {

  @Test
  void tokensCarryTheirSegmentAndLossMask(@TempDir Path dir) {
    try (Tokenizer tok = Tokenizer.load(TinyTokenizer.write(dir))) {
      FormattedExample e = TrainingFormat.plain("</s>").format(Triplet.of("x", "a b", "a b c", "c"));
      Table t = TokenTable.tokens(tok, e);
      assertEquals(14, t.rowCount());
      assertEquals(List.of("ADDED", "PROMPT", "THINK_OPEN", "THINK_OPEN", "THINK_CLOSE", "EOS"),
          List.of(t.stringColumn("segment").get(0), t.stringColumn("segment").get(1),
              t.stringColumn("segment").get(5), t.stringColumn("segment").get(7), t.stringColumn("segment").get(11),
              t.stringColumn("segment").get(13)));
      assertEquals(9, t.booleanColumn("trained").countTrue()); // the completion's 9 tokens
      Table spans = TokenTable.spans(e);
      assertEquals(6, spans.rowCount());
      assertEquals("User: a b⏎", spans.stringColumn("text").get(0));
    }
  }
}
