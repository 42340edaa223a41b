package io.thinklab.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.thinklab.data.Triplet;
import io.thinklab.tokens.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With the real Qwen3 tokenizer (skips when data/tokenizers/qwen3 was not fetched). */
class Qwen3DiagnoserTest {

  static Path qwen3() {
    for (Path p : List.of(Path.of("..", "data", "tokenizers", "qwen3"), Path.of("data", "tokenizers", "qwen3"))) {
      if (Files.isRegularFile(p.resolve("tokenizer.json"))) {
        return p;
      }
    }
    assumeTrue(false, "Qwen3 tokenizer not fetched: skipped");
    return null;
  }

  @Test
  void derivedCompletionEqualsSeparateEncodingAndPositionsAreExact() {
    List<Triplet> rows = new ArrayList<>();
    String[] problems = {"What is 17 * 3?", "  Spaces around.  ", "Line one\nline two\n", "Ünïcödé: 3 € + 4 €?",
        "Ends with a colon:", "Tabs\tand  double  spaces"};
    for (int i = 0; i < problems.length; i++) {
      rows.add(Triplet.of("q" + i, problems[i], "Step " + i + ".\n\nCheck: " + (i * 7) + " = " + (i * 7) + ".",
          "The answer is " + i + "."));
    }
    try (Tokenizer tok = Tokenizer.load(qwen3())) {
      List<ExampleLengths> fast = Diagnoser.builder().setTokenizer(tok).optBatchSize(2).build()
          .diagnose(rows, List.of()).examples();
      List<ExampleLengths> exact = Diagnoser.builder().setTokenizer(tok).optExactCompletion(true).build()
          .diagnose(rows, List.of()).examples();
      assertEquals(exact, fast);
      for (int i = 0; i < rows.size(); i++) {
        ExampleLengths e = fast.get(i);
        int[] ids = tok.ids(io.thinklab.data.TrainingFormat.plain(tok.eosToken()).format(rows.get(i)).text(), true);
        assertEquals(ids.length, e.full());
        assertEquals(151668, ids[e.endThinkAt()]);
        assertEquals(ids.length - 1, e.eosAt(), "EOS is the last token");
      }
    }
  }
}
