package io.thinklab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.thinklab.data.FormattedExample;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.diagnose.Policy;
import io.thinklab.tokens.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizeTest {

  @TempDir
  Path dir;

  /**
   * A word-level tokenizer.json: whitespace/punctuation pre-tokenizer, BOS prepended, and {@code <think>},
   * {@code </think>}, {@code </s>} as special tokens, each one id.
   */
  Path tokenizer() throws Exception {
    String json = """
        {"version": "1.0", "truncation": null, "padding": null,
         "added_tokens": [
           {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
           {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
           {"id": 3, "content": "<think>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
           {"id": 4, "content": "</think>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
         "normalizer": null, "pre_tokenizer": {"type": "Whitespace"},
         "post_processor": {"type": "TemplateProcessing",
           "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
           "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
           "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
         "decoder": null,
         "model": {"type": "WordLevel", "unk_token": "<unk>", "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2,
           "<think>": 3, "</think>": 4, "User": 5, "Assistant": 6, ":": 7, "x": 8, "y": 9, "=": 10, "2": 11, "3": 12}}}
        """;
    Files.writeString(dir.resolve("tokenizer.json"), json);
    return dir;
  }

  FormattedExample example() {
    return TrainingFormat.plain("</s>").format(Triplet.of("t1", "x = 2", "y = 3", "y = 3"));
  }

  @Test
  void masksThePromptAndTrainsThinkingSolutionAndEos() throws Exception {
    try (HuggingFaceTokenizer tok = Tokenizer.huggingFace(tokenizer())) {
      Sequence s = Tokenize.completionOnly(tok, example(), 100, Policy.TRUNCATE, true).orElseThrow();
      // <s> User : x = 2 | Assistant : <think> y = 3 </think> y = 3 </s>
      assertArrayEquals(new long[] {1, 5, 7, 8, 10, 11, 6, 7, 3, 9, 10, 12, 4, 9, 10, 12, 2}, s.ids());
      long m = -100;
      assertArrayEquals(new long[] {m, m, m, m, m, m, 6, 7, 3, 9, 10, 12, 4, 9, 10, 12, 2}, s.labels());
      assertEquals(11, s.trainedTokens());
    }
  }

  @Test
  void appliesTheOverLongPolicy() throws Exception {
    try (HuggingFaceTokenizer tok = Tokenizer.huggingFace(tokenizer())) {
      Sequence cut = Tokenize.completionOnly(tok, example(), 10, Policy.TRUNCATE, true).orElseThrow();
      assertEquals(10, cut.length());
      assertTrue(Tokenize.completionOnly(tok, example(), 10, Policy.DROP, true).isEmpty());
      var e = assertThrows(IllegalArgumentException.class,
          () -> Tokenize.completionOnly(tok, example(), 10, Policy.ERROR, true));
      assertTrue(e.getMessage().contains("t1: 17 tokens, over max_length 10"), e.getMessage());
    }
  }

  @Test
  void doesNotTruncateLongTextsSilently() throws Exception {
    try (HuggingFaceTokenizer tok = Tokenizer.huggingFace(tokenizer())) {
      String thinking = "y = 3 ".repeat(400); // 1,200 tokens of thinking: DJL's default would stop at 512
      FormattedExample ex = TrainingFormat.plain("</s>").format(Triplet.of("long", "x = 2", thinking, "y = 3"));
      Sequence s = Tokenize.completionOnly(tok, ex, 5000, Policy.ERROR, true).orElseThrow();
      assertEquals(1 + 5 + 3 + 1200 + 1 + 3 + 1, s.length());
      assertEquals(2, s.ids()[s.length() - 1], "EOS kept");
    }
  }
}
