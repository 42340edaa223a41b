package io.thinklab.curves;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {

  @TempDir
  Path dir;

  static final String JSONL = """
      {"step": 1, "epoch": 0.5, "loss": 2.5, "lr": 1e-4, "grad_norm": 3.0, "tokens": 4096, "tokens_per_s": 2048.0, "elapsed_s": 2.0}
      {"step": 2, "epoch": 1.0, "loss": 2.0, "lr": 2e-4, "grad_norm": 2.0, "tokens": 4000, "tokens_per_s": 2000.0, "elapsed_s": 4.0}

      {"step": 2, "eval_loss": 2.2}
      {"step": 3, "epoch": 1.5, "loss": NaN, "lr": 2e-4, "grad_norm": 1.0, "tokens": 4096, "tokens_per_s": 2048.0, "elapsed_s": 6.0}
      {"step": 4, "epoch": 2.0, "loss": "NaN", "lr": 2e-4, "grad_norm": null, "tokens": 4096, "tokens_per_s": 2048.0, "elapsed_s": 8.0, "loss_scale": 65536.0, "skipped": true}
      """;

  /** Shaped like a real Hugging Face checkpoint's trainer_state.json (indented, entries over several lines). */
  static final String TRAINER_STATE = """
      {
        "best_metric": null,
        "epoch": 2.0,
        "global_step": 20,
        "log_history": [
          {
            "epoch": 0.5,
            "grad_norm": 1.25,
            "learning_rate": 0.0002,
            "loss": 1.9,
            "step": 5
          },
          {
            "epoch": 1.0,
            "grad_norm": 0.75,
            "learning_rate": 0.00015,
            "loss": 1.4,
            "step": 10
          },
          {
            "epoch": 1.0,
            "eval_loss": 1.5,
            "eval_runtime": 3.2,
            "eval_samples_per_second": 10.0,
            "step": 10
          },
          {
            "epoch": 2.0,
            "grad_norm": 0.5,
            "learning_rate": 0.0,
            "loss": 1.1,
            "step": 20
          },
          {
            "epoch": 2.0,
            "step": 20,
            "total_flos": 123456.0,
            "train_loss": 1.45,
            "train_runtime": 61.5,
            "train_samples_per_second": 3.1
          }
        ],
        "logging_steps": 5,
        "max_steps": 20,
        "trial_name": null
      }
      """;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  @Test
  void readsThinkLabJsonl() throws IOException {
    RunHistory r = Metrics.read(write("opus-mini/metrics.jsonl", JSONL));
    assertEquals("opus-mini", r.name());
    assertEquals(4, r.steps().size());
    assertEquals(new Step(2, 1.0, 2.0, 2e-4, 2.0, 4000, 2000.0, 4.0), r.steps().get(1));
    assertTrue(Double.isNaN(r.steps().get(2).loss()), "a diverged NaN loss is kept, not rejected");
    assertTrue(Double.isNaN(r.steps().get(3).loss()), "\"NaN\" as Jackson writes it by default");
    assertTrue(Double.isNaN(r.steps().get(3).gradNorm()), "null is absent");
    assertEquals(1, r.evals().size());
    assertEquals(new EvalPoint(2, Double.NaN, 2.2), r.evals().get(0));
  }

  @Test
  void readsHuggingFaceTrainerState() throws IOException {
    RunHistory r = Metrics.read(write("checkpoint-20/trainer_state.json", TRAINER_STATE));
    assertEquals("checkpoint-20", r.name());
    assertEquals(3, r.steps().size());
    Step s = r.steps().get(1);
    assertEquals(10, s.step());
    assertEquals(1.0, s.epoch());
    assertEquals(1.4, s.loss());
    assertEquals(0.00015, s.lr());
    assertEquals(0.75, s.gradNorm());
    assertTrue(Double.isNaN(s.tokensPerS()));
    assertEquals(new EvalPoint(10, 1.0, 1.5), r.evals().get(0));
    assertEquals(61.5, ((Number) r.summary().get("train_runtime")).doubleValue());
    assertEquals(1.45, ((Number) r.summary().get("train_loss")).doubleValue());
  }

  @Test
  void aFolderIsSearchedForEitherFile() throws IOException {
    write("run-a/metrics.jsonl", JSONL);
    write("run-b/trainer_state.json", TRAINER_STATE);
    assertEquals(4, Metrics.read(dir.resolve("run-a")).steps().size());
    assertEquals(10, Metrics.read(dir.resolve("run-b")).steps().get(1).step());
    assertEquals("my-run", Metrics.read(write("my-run.jsonl", JSONL)).name());
    List<RunHistory> all = Metrics.readAll(List.of(dir.resolve("run-a").toString(), "hf=" + dir.resolve("run-b"),
        dir.resolve("run-a/metrics.jsonl").toString()));
    assertEquals(List.of("run-a", "hf", "run-a#2"), all.stream().map(RunHistory::name).toList());
  }

  @Test
  void badJsonlLinesNameFileLineAndReason() throws IOException {
    Path notJson = write("a/metrics.jsonl", "{\"step\": 1, \"loss\": 2.0}\n{\"step\": 2, \"loss\": \n");
    MetricsFormatException e = assertThrows(MetricsFormatException.class, () -> Metrics.read(notJson));
    assertTrue(e.getMessage().startsWith(notJson + ":2: not JSON"), e.getMessage());
    assertEquals(2, e.line());

    Path noLoss = write("b/metrics.jsonl", "{\"step\": 1, \"loss\": 2.0}\n\n{\"step\": 2, \"lr\": 0.1}\n");
    e = assertThrows(MetricsFormatException.class, () -> Metrics.read(noLoss));
    assertEquals(noLoss + ":3: missing key 'loss' (and no 'eval_loss')", e.getMessage());

    Path backwards = write("c/metrics.jsonl", "{\"step\": 2, \"loss\": 2.0}\n{\"step\": 2, \"loss\": 1.0}\n");
    e = assertThrows(MetricsFormatException.class, () -> Metrics.read(backwards));
    assertEquals(backwards + ":2: step 2 does not increase (previous step 2)", e.getMessage());

    Path text = write("d/metrics.jsonl", "{\"step\": 1, \"loss\": \"low\"}\n");
    e = assertThrows(MetricsFormatException.class, () -> Metrics.read(text));
    assertEquals(text + ":1: 'loss' is not a number: \"low\"", e.getMessage());

    Path array = write("e/metrics.jsonl", "[1, 2]\n");
    e = assertThrows(MetricsFormatException.class, () -> Metrics.read(array));
    assertEquals(array + ":1: expected a JSON object", e.getMessage());
  }

  @Test
  void badTrainerStateEntriesNameTheirLine() throws IOException {
    Path bad = write("x/trainer_state.json", TRAINER_STATE.replace("\"loss\": 1.4", "\"loss\": \"1.4\""));
    MetricsFormatException e = assertThrows(MetricsFormatException.class, () -> Metrics.read(bad));
    assertEquals(13, e.line(), e.getMessage()); // the second entry's opening brace
    assertTrue(e.getMessage().contains("'loss' is not a number"), e.getMessage());

    Path noHistory = write("y/trainer_state.json", "{\"global_step\": 3}");
    e = assertThrows(MetricsFormatException.class, () -> Metrics.read(noHistory));
    assertTrue(e.getMessage().contains("no log_history"), e.getMessage());
  }
}
