package io.thinklab.tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny word-level {@code tokenizer.json} written by tests, so golden numbers need no fetched files.
 *
 * <p>Pre-tokenizer {@code Whitespace} (each run of word characters, each run of punctuation is one token), every
 * word maps to {@code <unk>} unless in the small vocabulary, {@code <s>} (1) is prepended when special tokens are
 * on, and {@code <unk>} 0, {@code <s>} 1, {@code </s>} 2, {@code <think>} 3, {@code </think>} 4 are added special
 * tokens. So "User: a b" has 4 tokens, and with special tokens 5.
 */
public final class TinyTokenizer {
  private TinyTokenizer() {}

  /** Writes {@code tokenizer.json} and {@code tokenizer_config.json} into {@code dir}; returns {@code dir}. */
  public static Path write(Path dir) {
    return write(dir, true);
  }

  /**
   * As {@link #write(Path)}; with {@code thinkTokens} false, {@code <think>}/{@code </think>} are not added tokens
   * and split into {@code <}, {@code think}, {@code >} pieces (the case where positions need offsets).
   */
  public static Path write(Path dir, boolean thinkTokens) {
    String added = "[" + special(0, "<unk>") + "," + special(1, "<s>") + "," + special(2, "</s>")
        + (thinkTokens ? "," + special(3, "<think>") + "," + special(4, "</think>") : "") + "]";
    String json = """
        {"version":"1.0","truncation":null,"padding":null,"added_tokens":%s,
         "normalizer":null,"pre_tokenizer":{"type":"Whitespace"},
         "post_processor":{"type":"TemplateProcessing",
           "single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
           "pair":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}},
                   {"Sequence":{"id":"B","type_id":1}}],
           "special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]}}},
         "decoder":null,
         "model":{"type":"WordLevel","unk_token":"<unk>","vocab":{"<unk>":0,"<s>":1,"</s>":2,"<think>":3,
           "</think>":4,"User":5,"Assistant":6,":":7,"a":8,"b":9,"c":10,"=":11}}}
        """.formatted(added);
    String config = """
        {"bos_token":"<s>","eos_token":"</s>","pad_token":null,"add_bos_token":true,"add_eos_token":false}
        """;
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("tokenizer.json"), json);
      Files.writeString(dir.resolve("tokenizer_config.json"), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  private static String special(int id, String content) {
    return "{\"id\":" + id + ",\"content\":\"" + content + "\",\"single_word\":false,\"lstrip\":false,"
        + "\"rstrip\":false,\"normalized\":false,\"special\":true}";
  }
}
