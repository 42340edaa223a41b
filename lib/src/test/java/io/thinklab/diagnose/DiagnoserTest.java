package io.thinklab.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.tokens.TinyTokenizer;
import io.thinklab.tokens.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden lengths on the tiny word-level tokenizer: every number below is counted by hand in the comments. */
class DiagnoserTest {

  // "User: a b\n" | "Assistant: <think>\na b c\n</think>\nc</s>"
  // full with BOS: <s> User : a b | Assistant : <think> a b c </think> c </s>  -> 14 tokens
  static final Triplet SHORT = Triplet.of("short", "a b", "a b c", "c");
  // the same with 20 thinking words: 31 tokens, </think> at 28, EOS at 30
  static final Triplet LONG = Triplet.of("long", "a b", "a ".repeat(20), "c");

  @Test
  void goldenLengthsAndPositions(@TempDir Path dir) {
    try (Tokenizer tok = Tokenizer.load(TinyTokenizer.write(dir))) {
      for (boolean exact : new boolean[] {false, true}) {
        Diagnoser d = Diagnoser.builder().setTokenizer(tok).optFormat(TrainingFormat.plain("</s>"))
            .optBatchSize(1).optExactCompletion(exact).build();
        List<ExampleLengths> rows = d.diagnose(List.of(SHORT, LONG, SHORT), List.of()).examples();
        assertEquals(new ExampleLengths("short", 5, 3, 1, 9, 14, 11, 13), rows.get(0), "exact=" + exact);
        assertEquals(new ExampleLengths("long", 5, 20, 1, 26, 31, 28, 30), rows.get(1), "exact=" + exact);
        assertEquals(rows.get(0), rows.get(2), "after the first batch, derived completion = separate encoding");
      }
    }
  }

  @Test
  void perCutoffCountsOnGoldenRows(@TempDir Path dir) {
    try (Tokenizer tok = Tokenizer.load(TinyTokenizer.write(dir))) {
      Diagnosis d = Diagnoser.builder().setTokenizer(tok).build().diagnose(List.of(SHORT, LONG), List.of(12, 14, 31));
      CutoffStats at12 = d.at(12);
      assertEquals(2, at12.fullTruncated());
      assertEquals(1, at12.completionTruncated()); // 26 > 12, 9 <= 12
      assertEquals(1, at12.endThinkSurvives()); // 11 < 12
      assertEquals(0, at12.eosSurvives());
      assertEquals(1, d.at(14).fullTruncated(), "only LONG is cut at 14");
      assertEquals(1, d.at(14).bothSurvive());
      assertEquals(31, d.recommendedCutoff());
      assertEquals(31, d.minCutoffFor(0.99));
      assertEquals(14, d.minCutoffFor(0.5));
      assertEquals(12 + 12, d.at(12).tokensPerEpoch());
      PolicyEffect drop = d.policy(Policy.DROP, 14);
      assertEquals(1, drop.rowsTrained());
      assertEquals(14, drop.tokensPerEpoch());
      PolicyEffect error = d.policy(Policy.ERROR, 14);
      assertEquals("long", error.firstOffender());
      assertEquals(0, error.rowsTrained());
      PolicyEffect cut = d.policy(Policy.TRUNCATE, 14);
      assertEquals(2, cut.rowsTrained());
      assertEquals(1, cut.rowsCutBeforeEndThink());
    }
  }

  @Test
  void markersThatAreNotTokensFallBackToOffsets(@TempDir Path dir) {
    try (Tokenizer tok = Tokenizer.load(TinyTokenizer.write(dir, false))) {
      Diagnoser d = Diagnoser.builder().setTokenizer(tok).optFormat(TrainingFormat.plain("</s>")).build();
      assertTrue(d.markerLines().stream().anyMatch(l -> l.contains("NOT a single token")), d.markerLines().toString());
      // "<think>" is now 3 tokens ("<", "think", ">") and so is "</think>" ("</", "think", ">"):
      // <s> User : a b Assistant : < think > a b c </ think > c </s>
      ExampleLengths e = d.diagnose(List.of(SHORT), List.of()).examples().get(0);
      assertEquals(18, e.full());
      assertEquals(15, e.endThinkAt()); // the token holding the marker's last character: all of </think> is in
      assertEquals(16, e.endThinkCutoff());
      assertEquals(5, e.thinking()); // "think", ">", "a", "b", "c": the split opener's tail counts in
      assertEquals(1, e.solution()); // "c"
      assertEquals(17, e.eosAt());
      assertEquals(13, e.completion());
    }
  }

  @Test
  void jsonHasTheSeedKeysInOrder(@TempDir Path dir) {
    try (Tokenizer tok = Tokenizer.load(TinyTokenizer.write(dir))) {
      Diagnosis d = Diagnoser.builder().setTokenizer(tok).build().diagnose(List.of(SHORT, LONG), List.of(2048, 4096));
      List<String> keys = List.copyOf(d.toJson().keySet()).subList(0, 5);
      assertEquals(List.of("total_examples", "full_summary", "prompt_summary", "completion_summary", "per_cutoff"),
          keys);
      @SuppressWarnings("unchecked")
      var per = (java.util.Map<String, java.util.Map<String, Object>>) d.toJson().get("per_cutoff");
      assertEquals(List.of("2048", "4096"), List.copyOf(per.keySet()));
      assertEquals(List.of("full_truncated", "completion_truncated", "end_think_survives", "eos_survives",
          "full_truncated_pct", "completion_truncated_pct", "end_think_survives_pct", "eos_survives_pct"),
          List.copyOf(per.get("2048").keySet()));
    }
  }
}
