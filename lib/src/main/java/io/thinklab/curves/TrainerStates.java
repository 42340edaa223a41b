package io.thinklab.curves;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run as a Hugging Face {@code trainer_state.json}, logged the way the Hugging Face Trainer logs it:
 * one {@code log_history} entry every {@code logging_steps} steps (and at the last step) whose {@code loss} is the
 * mean of the steps since the previous entry, rounded to 4 decimals, with that step's {@code learning_rate},
 * {@code grad_norm} and {@code epoch}; one entry per evaluation ({@code eval_loss}); and the final summary
 * ({@code train_loss}, the mean over all steps, and {@code train_runtime}). For teaching: it shows that
 * {@link Metrics} reads a TRL/PEFT run, and how much coarser a curve logged every N steps looks.
 */
public final class TrainerStates {
  private TrainerStates() {}

  /** Writes {@code run} to {@code file} (folders created) and returns the file. */
  public static Path write(RunHistory run, int loggingSteps, Path file) {
    if (loggingSteps < 1) {
      throw new IllegalArgumentException("logging_steps must be ≥ 1, got " + loggingSteps);
    }
    List<Step> steps = run.steps();
    List<Map<String, Object>> history = new ArrayList<>();
    List<EvalPoint> evals = new ArrayList<>(run.evals());
    double sum = 0;
    int n = 0;
    double all = 0;
    int allN = 0;
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      if (Double.isFinite(s.loss())) {
        sum += s.loss();
        n++;
        all += s.loss();
        allN++;
      }
      if (s.step() % loggingSteps == 0 || i == steps.size() - 1) {
        Map<String, Object> e = new LinkedHashMap<>();
        putFinite(e, "epoch", s.epoch());
        putFinite(e, "grad_norm", s.gradNorm());
        putFinite(e, "learning_rate", s.lr());
        e.put("loss", n == 0 ? Double.NaN : Math.round(sum / n * 10_000) / 10_000.0);
        e.put("step", s.step());
        history.add(e);
        sum = 0;
        n = 0;
      }
      while (!evals.isEmpty() && evals.get(0).step() <= s.step()) {
        EvalPoint ev = evals.remove(0);
        Map<String, Object> e = new LinkedHashMap<>();
        putFinite(e, "epoch", ev.epoch());
        e.put("eval_loss", ev.evalLoss());
        e.put("step", ev.step());
        history.add(e);
      }
    }
    Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
    Map<String, Object> summary = new LinkedHashMap<>();
    if (last != null) {
      putFinite(summary, "epoch", last.epoch());
      summary.put("step", last.step());
      putFinite(summary, "train_runtime", last.elapsedS());
    }
    summary.put("train_loss", allN == 0 ? Double.NaN : all / allN);
    history.add(summary);

    Map<String, Object> state = new LinkedHashMap<>();
    state.put("best_metric", null);
    state.put("epoch", last == null || !Double.isFinite(last.epoch()) ? null : last.epoch());
    state.put("global_step", last == null ? 0 : last.step());
    state.put("log_history", history);
    state.put("logging_steps", loggingSteps);
    state.put("max_steps", last == null ? 0 : last.step());
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(state) + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  private static void putFinite(Map<String, Object> m, String key, double v) {
    if (Double.isFinite(v)) {
      m.put(key, v);
    }
  }
}
