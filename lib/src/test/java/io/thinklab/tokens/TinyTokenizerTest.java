package io.thinklab.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.thinklab.train.Tokenize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The committed tiny tokenizer: regenerates identically, covers every mini sample row, round-trips text. */
class TinyTokenizerTest {

  static Path root;
  static HuggingFaceTokenizer tok;

  @BeforeAll
  static void load() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("data/samples/README.md"))) {
        root = p;
        break;
      }
    }
    tok = Tokenizer.huggingFace(root.resolve(TinyTokenizerBuilder.DIR));
  }

  @Test
  void regeneratingGivesTheCommittedFiles() throws IOException {
    TinyTokenizerBuilder.Built b = TinyTokenizerBuilder.build(TinyTokenizerBuilder.sampleTexts(root));
    Path dir = root.resolve(TinyTokenizerBuilder.DIR);
    assertEquals(Files.readString(dir.resolve("tokenizer.json")), b.tokenizerJson(),
        "data/tiny-tokenizer is stale: rerun TinyTokenizerBuilder");
    assertEquals(Files.readString(dir.resolve("tokenizer_config.json")), b.tokenizerConfigJson());
    assertTrue(b.vocabSize() <= 256, "vocab " + b.vocabSize() + " must fit tiny-thinker's 256");
  }

  @Test
  void markersAreSingleTokensWithTheProfilesIds() {
    assertEquals(List.of(4L), ids("<think>"));
    assertEquals(List.of(5L), ids("</think>"));
    assertEquals(List.of(2L), ids("</s>"));
    assertEquals(1L, tok.encode("x", true, false).getIds()[0], "BOS <s> (id 1) is prepended");
  }

  @Test
  void everySampleRowEncodesWithoutUnknownsAndDecodesBack() {
    List<String> texts = TinyTokenizerBuilder.sampleTexts(root);
    assertTrue(texts.size() > 3000, "rows: " + texts.size());
    long unk = 0;
    for (String t : texts) {
      long[] ids = tok.encode(t, false, false).getIds();
      for (long id : ids) {
        unk += id == 3 ? 1 : 0;
      }
    }
    assertEquals(0, unk, "unknown tokens in the mini samples");
    String row = texts.get(0);
    assertTrue(row.contains("<think>") && row.endsWith("</s>"), row);
    assertEquals(row, tok.decode(tok.encode(row, false, false).getIds(), false));
    assertEquals(row.replace("</s>", ""), tok.decode(tok.encode(row, true, false).getIds(), true),
        "skipping special tokens drops <s> and </s> but keeps <think> and </think>");
  }

  @Test
  void numbersAreDigitSequences() {
    assertEquals(List.of(" 1", "3", "2"),
        TinyTokenizerBuilder.pieces(" 132"));
    assertEquals(List.of("Step", " 1", ":", " rest", " =", " 4", "5"), TinyTokenizerBuilder.pieces("Step 1: rest = 45"));
  }

  private static List<Long> ids(String s) {
    return java.util.Arrays.stream(tok.encode(s, false, false).getIds()).boxed().toList();
  }
}
