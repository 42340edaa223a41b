package io.thinklab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.thinklab.data.Dataset;
import io.thinklab.data.FormattedExample;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.diagnose.Diagnoser;
import io.thinklab.diagnose.ExampleLengths;
import io.thinklab.generate.TinyModelDir;
import io.thinklab.lora.LoraConfig;
import io.thinklab.tokens.Tokenizer;
import io.thinklab.train.Sequence;
import io.thinklab.train.Tokenize;
import io.thinklab.train.TrainConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drop fix: the fixed arm trains on as many rows as the truncated one, all whole; the rows it skipped are counted. */
class TruncationAblationTest {
  @TempDir
  Path tmp;

  @Test
  void theDropArmTrainsOnlyWholeRowsAndCountsTheOnesItSkipped() throws Exception {
    Path model = TinyModelDir.write(tmp.resolve("model"), 1);
    Path train = Path.of("..", "data", "samples", "opus-mini.jsonl");
    // the cutoff: the median length of the first 12 rows, in this model's (character) tokens
    List<Triplet> rows = Dataset.load(train).lenient().minThinkingChars(0).maxRows(12).read().triplets();
    int[] lengths;
    try (HuggingFaceTokenizer tok = Tokenizer.huggingFace(model)) {
      TrainingFormat f = TrainingFormat.plain("</s>");
      lengths = rows.stream().mapToInt(t -> tok.encode(f.format(t).text(), true, false).getIds().length).sorted()
          .toArray();
    }
    int cutoff = lengths[lengths.length / 2];
    var s = new TruncationAblation.Settings(model, train, Path.of("..", "data", "samples", "eval-mini.jsonl"), 6, 1,
        Double.NaN, new int[] {cutoff, cutoff}, 3, TrainConfig.defaults().withBatching(2, 1).withMaxSteps(1),
        new LoraConfig(2, 4, 0.0, List.of("q_proj", "v_proj"), false, model.toString()), tmp.resolve("runs"), true,
        io.thinklab.generate.Sampling.greedy());

    TruncationAblation.Outcome o = TruncationAblation.run(s);

    assertEquals("truncate", o.truncated().policy());
    assertEquals(6, o.truncated().rows());
    assertEquals(0, o.truncated().droppedRows());
    assertEquals("drop", o.fixed().policy());
    assertEquals(6, o.fixed().rows());
    assertEquals(0, o.fixed().cutBeforeClose(), "a dropped-policy arm trains only rows that keep </think>");
    assertTrue(o.fixed().droppedRows() > 0, "rows longer than the cutoff were passed over and counted");
    assertEquals(cutoff, o.fixed().cutoff());
    assertTrue(o.toJson().contains("\"dropped_rows\":" + o.fixed().droppedRows()), o.toJson());
  }

  /**
   * One count of "rows that never show {@code </think>}": the ablation's (which counts with the preflight's
   * {@code Diagnoser}), the preflight's and what the trainer's sequences really contain agree row by row (the ablation
   * once counted the newline after {@code </think>} too, and reported a row as cut that the trainer saw whole). The
   * glm-style mini rows with the lab's tiny tokenizer.
   */
  @Test
  void rowsCutBeforeCloseAreCountedAsThePreflightAndTheTrainerSeeThem() {
    Path tokDir = Path.of("..", "data", "tiny-tokenizer");
    List<Triplet> rows = Dataset.load(Path.of("..", "data", "samples", "glm-mini.jsonl.gz")).lenient()
        .minThinkingChars(0).maxRows(480).read().triplets();
    try (HuggingFaceTokenizer hf = Tokenizer.huggingFace(tokDir); Tokenizer tiny = Tokenizer.load(tokDir)) {
      TrainingFormat f = TrainingFormat.plain(tiny.eosToken());
      List<FormattedExample> ex = rows.stream().map(f::format).toList();
      int[] ends = TruncationAblation.closeEnds(tiny, f, ex);
      List<ExampleLengths> measured = Diagnoser.builder().setTokenizer(tiny).optFormat(f).build().measure(ex);
      long closeId = hf.encode("</think>", false, false).getIds()[0];
      int cutoff = 110;
      List<Sequence> trained = Tokenize.completionOnly(hf, f, rows, cutoff);
      for (int i = 0; i < rows.size(); i++) {
        assertEquals(measured.get(i).endThinkAt() + 1, ends[i], rows.get(i).id() + ": the preflight's position");
        boolean sawClose = Arrays.stream(trained.get(i).ids()).anyMatch(id -> id == closeId);
        assertEquals(sawClose, ends[i] <= cutoff, rows.get(i).id() + ": what the trainer saw at " + cutoff);
      }
      // the built-in truncated run's comment: one of the 480 rows the ablation trains on keeps </think> at 110
      assertEquals(479, Arrays.stream(ends).filter(e -> e > cutoff).count());
    }
  }
}
