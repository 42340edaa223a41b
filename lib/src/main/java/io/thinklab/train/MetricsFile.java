package io.thinklab.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code metrics.jsonl}: one JSON line per optimizer step, written and flushed as the step ends, with the
 * held-out loss as {@code eval_loss} (Hugging Face's name) on the steps where it was measured. This is the file
 * {@link io.thinklab.curves.Metrics} reads back, {@code thinklab curves} draws and a notebook charts.
 *
 * <pre>{@code
 * {"step":12,"epoch":0.6,"loss":0.31,"lr":0.0046,"grad_norm":0.57,"tokens":664,"tokens_per_s":4556.0,
 *  "elapsed_s":2.9,"loss_scale":1.0,"skipped":false,"eval_loss":0.42}
 * }</pre>
 */
final class MetricsFile implements TrainerListener, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Writer log;
  private int evalStep = -1; // the step whose held-out loss is waiting for its line
  private double evalLoss;

  private MetricsFile(Path file, Writer log) {
    this.file = file;
    this.log = log;
  }

  /**
   * Opens {@code <out>/metrics.jsonl} for appending, first keeping only the lines of steps ≤ {@code upTo}: a run
   * killed after its last checkpoint may have logged steps that its resume runs again.
   */
  static MetricsFile open(Path out, int upTo) {
    Path file = out.resolve("metrics.jsonl");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (Files.exists(file)) {
        List<String> keep = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank() && JSON.readTree(line).path("step").asInt() <= upTo) {
            keep.add(line);
          }
        }
        Files.write(file, keep);
      }
      return new MetricsFile(file, Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onEval(StepReport step, double heldOutLoss) {
    evalStep = step.step();
    evalLoss = heldOutLoss;
  }

  @Override
  public void onStep(StepReport s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", s.step());
    m.put("epoch", s.epoch());
    m.put("loss", s.loss());
    m.put("lr", s.lr());
    m.put("grad_norm", Double.isFinite(s.gradNorm()) ? s.gradNorm() : null); // JSON has no NaN
    m.put("tokens", s.tokens());
    m.put("tokens_per_s", s.tokensPerS());
    m.put("elapsed_s", s.elapsedS());
    m.put("loss_scale", s.lossScale());
    m.put("skipped", s.skipped());
    if (evalStep == s.step()) {
      m.put("eval_loss", evalLoss); // Jackson writes a NaN as "NaN", which Metrics reads
    }
    try {
      log.write(JSON.writeValueAsString(m) + "\n");
      log.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      log.close();
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }
}
