package io.thinklab.tokens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

  /** Where the lab puts the offline Qwen3 tokenizer; tests that need it skip when it was not fetched. */
  static Path qwen3() {
    Path p = Path.of("..", "data", "tokenizers", "qwen3");
    if (!Files.isRegularFile(p.resolve("tokenizer.json"))) {
      p = Path.of("data", "tokenizers", "qwen3");
    }
    assumeTrue(Files.isRegularFile(p.resolve("tokenizer.json")), "Qwen3 tokenizer not fetched: skipped");
    return p;
  }

  @Test
  void tinyTokenizerGivesGoldenIdsWithAndWithoutBos(@TempDir Path dir) {
    try (Tokenizer tok = Tokenizer.load(TinyTokenizer.write(dir))) {
      assertArrayEquals(new int[] {5, 7, 8, 9}, tok.ids("User: a b", false));
      assertArrayEquals(new int[] {1, 5, 7, 8, 9}, tok.ids("User: a b", true));
      // added special tokens are split out even when glued to words
      assertArrayEquals(new int[] {6, 7, 3, 8, 4, 10, 2}, tok.ids("Assistant: <think>a</think>c</s>", false));
      assertEquals("</s>", tok.eosToken());
    }
  }

  @Test
  void longTextIsNotTruncatedTo512(@TempDir Path dir) {
    try (Tokenizer tok = Tokenizer.load(TinyTokenizer.write(dir))) {
      String text = "a ".repeat(3000);
      assertEquals(3001, tok.ids(text, true).length);
      assertEquals(List.of(3000, 1), List.of(tok.batchCounts(List.of(text, "b"), false)[0],
          tok.batchCounts(List.of(text, "b"), false)[1]));
    }
  }

  @Test
  void markersOfTinyTokenizerAreSingle(@TempDir Path dir) {
    try (Tokenizer tok = Tokenizer.load(TinyTokenizer.write(dir))) {
      MarkerReport m = tok.markers();
      assertTrue(m.allSingle(), m.lines().toString());
      assertEquals(4, m.thinkClose().id());
      assertEquals(2, m.eos().id());
    }
  }

  @Test
  void tokenAtUsesOffsets(@TempDir Path dir) {
    try (Tokenizer tok = Tokenizer.load(TinyTokenizer.write(dir))) {
      String text = "User: a b";
      assertEquals(3, tok.tokenAt(text, text.indexOf('a'), true)); // <s> User : a
      assertEquals(-1, tok.tokenAt(text, 4 + 1, true)); // the space after ':' belongs to no token
    }
  }

  @Test
  void missingFolderNamesTheFile(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir.resolve("x")));
    assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
  }

  @Test
  void hubIdsAreRecognised() {
    assertTrue(HubFiles.looksLikeHubId("Nanbeige/Nanbeige4-3B-Base"));
    assertFalse(HubFiles.looksLikeHubId("data/tokenizers/qwen3/tokenizer.json"));
    assertFalse(HubFiles.looksLikeHubId("qwen3"));
  }

  @Test
  void qwen3MarkersAreSingleTokens() {
    try (Tokenizer tok = Tokenizer.load(qwen3())) {
      MarkerReport m = tok.markers();
      assertEquals(151667, m.thinkOpen().id());
      assertEquals(151668, m.thinkClose().id());
      assertTrue(m.eos().single(), m.lines().toString());
      assertEquals(0, tok.addedSpecialIds().length, "Qwen3 adds no BOS");
      String text = "x".repeat(5000) + " and more";
      assertTrue(tok.ids(text, true).length > 512);
    }
  }
}
