package io.thinklab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.model.LlamaConfig;
import io.thinklab.model.NextTokenLoss;
import io.thinklab.preflight.Preflight;
import io.thinklab.run.ModelProfiles;
import io.thinklab.run.RunFile;
import io.thinklab.run.RunFiles;
import io.thinklab.tokens.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run file → sequences path shared by {@code thinklab train} and notebook 03. */
class TrainDataTest {

  private static final Path ROOT = Preflight.root();

  @Test
  void tinyOpusRunGivesMaskedSequencesWithEos() {
    RunFile run = RunFiles.resolve("tiny-opus-cpu", List.of("data.0.max_rows=40"));
    LlamaConfig mc = ModelProfiles.resolve("tiny-thinker");
    List<String> said = new ArrayList<>();
    Path tok = TrainData.tokenizerDir(run, ROOT, null, said::add);
    assertEquals(ROOT.resolve("data/tiny-tokenizer"), tok);
    TrainData.Loaded d = TrainData.load(run, ROOT, tok, mc, said::add);
    assertEquals(40, d.rows());
    assertEquals(40, d.sequences().size(), "nothing is cut at max_length 1024");
    assertEquals("</s>", d.eos());
    assertTrue(said.stream().anyMatch(s -> s.startsWith("data: 40 examples (plain, max_length 1024")), said.toString());
    long eosId;
    try (var t = Tokenizer.huggingFace(tok)) {
      eosId = t.encode(d.eos(), false, false).getIds()[0];
    }
    for (Sequence s : d.sequences()) {
      assertEquals(NextTokenLoss.IGNORE_INDEX, s.labels()[0], "the prompt is masked");
      assertEquals(eosId, s.labels()[s.length() - 1], "EOS is trained");
      assertTrue(s.trainedTokens() > 0 && s.trainedTokens() < s.length());
    }
    assertTrue(d.trainedTokens() < d.tokens());
  }

  @Test
  void overLongDropIsCounted() {
    Path tok = ROOT.resolve("data/tiny-tokenizer");
    LlamaConfig mc = ModelProfiles.resolve("tiny-thinker");
    TrainData.Loaded all = TrainData.load(RunFiles.resolve("tiny-opus-cpu", List.of("data.0.max_rows=40")), ROOT,
        tok, mc, s -> {});
    int[] lengths = all.sequences().stream().mapToInt(Sequence::length).sorted().toArray();
    int median = lengths[lengths.length / 2];
    long over = java.util.Arrays.stream(lengths).filter(n -> n > median).count();
    RunFile run = RunFiles.resolve("tiny-opus-cpu", List.of("data.0.max_rows=40", "max_length=" + median,
        "over_long=drop"));
    TrainData.Loaded d = TrainData.load(run, ROOT, tok, mc, s -> {});
    assertTrue(over > 0, "rows longer than the median " + median);
    assertEquals(over, d.dropped());
    assertEquals(40, d.rows());
    assertEquals(40 - over, d.sequences().size());
    assertTrue(d.sequences().stream().allMatch(s -> s.length() <= median));
  }

  @Test
  void badInputGivesClearErrors() {
    RunFile run = RunFiles.resolve("tiny-opus-cpu", List.of("data.0.max_rows=5"));
    Path tok = ROOT.resolve("data/tiny-tokenizer");
    LlamaConfig tiny = ModelProfiles.resolve("tiny-thinker");
    LlamaConfig small = new LlamaConfig(tiny.hiddenSize(), tiny.intermediateSize(), tiny.numLayers(),
        tiny.numHeads(), tiny.numKvHeads(), tiny.headDim(), 16, tiny.ropeTheta(), tiny.rmsNormEps(),
        tiny.tieWordEmbeddings(), tiny.maxPositionEmbeddings(), Map.of(), -1, -1, "float32");
    var vocab = assertThrows(IllegalArgumentException.class, () -> TrainData.load(run, ROOT, tok, small, s -> {}));
    assertTrue(vocab.getMessage().contains("vocabulary has 16 rows"), vocab.getMessage());

    var missing = assertThrows(IllegalArgumentException.class, () -> TrainData.readData(
        RunFiles.resolve("tiny-opus-cpu", List.of("data.0.path=data/samples/nope.jsonl")), ROOT, s -> {}));
    assertTrue(missing.getMessage().contains("nope.jsonl"), missing.getMessage());

    var noTok = assertThrows(IllegalArgumentException.class, () -> TrainData.tokenizerDir(
        RunFiles.resolve("tiny-opus-cpu", List.of("tokenizer.path=data/no-such-tokenizer")), ROOT, null, s -> {}));
    assertTrue(noTok.getMessage().contains("no-such-tokenizer"), noTok.getMessage());

    var fmt = assertThrows(IllegalArgumentException.class, () -> TrainData.format("alpaca", "</s>"));
    assertTrue(fmt.getMessage().contains("plain and chatml"), fmt.getMessage());
  }

  @Test
  void aTrainerStepReadsAsAMetricsLine() {
    var s = new StepReport(7, 0.5, 2.25, 1e-3, 0.8, 120, 900.0, 3.5, 1.0, false);
    var c = s.curveStep();
    assertEquals(7, c.step());
    assertEquals(0.5, c.epoch());
    assertEquals(2.25, c.loss());
    assertEquals(1e-3, c.lr());
    assertEquals(0.8, c.gradNorm());
    assertEquals(120, c.tokens());
    assertEquals(900.0, c.tokensPerS());
    assertEquals(3.5, c.elapsedS());
  }
}
