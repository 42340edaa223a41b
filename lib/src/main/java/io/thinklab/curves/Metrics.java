package io.thinklab.curves;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a run's history from ThinkLab's {@code metrics.jsonl} or a Hugging Face {@code trainer_state.json}.
 *
 * <p><b>metrics.jsonl</b> (what ThinkLab's trainer writes): one JSON object per line. A training row has
 * {@code step} and {@code loss} (required) and {@code epoch}, {@code lr}, {@code grad_norm}, {@code tokens},
 * {@code tokens_per_s}, {@code elapsed_s} (optional, NaN when absent). {@code epoch} counts epochs completed
 * after the step, fractional, so the last step of epoch 1 logs 1.0. A row with {@code eval_loss} is an
 * evaluation (with {@code step}, optionally {@code epoch}); a row may carry both. Blank lines are skipped;
 * {@code NaN} and {@code Infinity}, bare or as the strings Jackson writes by default, are accepted as numbers
 * (a diverged loss is something to see, not an error); {@code null} counts as absent. Other keys are ignored.
 *
 * <p><b>trainer_state.json</b> (what the Hugging Face Trainer, TRL and PEFT runs save in every checkpoint):
 * entries of {@code log_history} with {@code loss} become steps ({@code learning_rate}, {@code grad_norm},
 * {@code epoch}, {@code step}); entries with {@code eval_loss} become evaluations; the final entry with
 * {@code train_runtime} or {@code train_loss} becomes the summary. Other entries are ignored.
 *
 * <p>A bad entry throws {@link MetricsFormatException} naming the file, the line and the reason.
 */
public final class Metrics {
  private Metrics() {}

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  /**
   * Reads a run, choosing the format by name: {@code *.json} is a trainer state, anything else JSONL. A folder
   * is searched for {@code metrics.jsonl}, then {@code trainer_state.json}. The run is named after its folder
   * (or after the file when it has no standard name).
   */
  public static RunHistory read(Path path) {
    Path file = path;
    if (Files.isDirectory(path)) {
      file = path.resolve("metrics.jsonl");
      if (!Files.exists(file)) {
        file = path.resolve("trainer_state.json");
      }
      if (!Files.exists(file)) {
        throw new IllegalArgumentException(path + ": no metrics.jsonl or trainer_state.json in this folder");
      }
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such file");
    }
    String name = defaultName(file);
    return file.getFileName().toString().endsWith(".json") ? readTrainerState(file, name) : readJsonl(file, name);
  }

  /**
   * Reads several runs for one overlaid chart. Each argument is a path as for {@link #read(Path)}, or
   * {@code NAME=PATH} to set the legend name; repeated names get {@code #2}, {@code #3}.
   */
  public static List<RunHistory> readAll(List<String> args) {
    List<RunHistory> out = new ArrayList<>();
    Map<String, Integer> seen = new java.util.HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      boolean named = eq > 0 && !arg.substring(0, eq).contains("/");
      RunHistory r = read(Path.of(named ? arg.substring(eq + 1) : arg));
      String name = named ? arg.substring(0, eq) : r.name();
      int k = seen.merge(name, 1, Integer::sum);
      out.add(r.named(k == 1 ? name : name + "#" + k));
    }
    return out;
  }

  /** Reads ThinkLab's {@code metrics.jsonl}. */
  public static RunHistory readJsonl(Path file, String name) {
    List<Step> steps = new ArrayList<>();
    List<EvalPoint> evals = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      long line = 0;
      while ((text = in.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode row;
        try {
          row = JSON.readTree(text);
        } catch (JsonProcessingException e) {
          throw new MetricsFormatException(file, line, "not JSON (" + e.getOriginalMessage() + ")");
        }
        addRow(file, line, row, "lr", steps, evals);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    return new RunHistory(name, file.toString(), steps, evals, Map.of());
  }

  /** Reads the {@code log_history} of a Hugging Face {@code trainer_state.json}. */
  public static RunHistory readTrainerState(Path file, String name) {
    List<Step> steps = new ArrayList<>();
    List<EvalPoint> evals = new ArrayList<>();
    Map<String, Object> summary = new LinkedHashMap<>();
    boolean sawHistory = false;
    try (JsonParser p = JSON.createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MetricsFormatException(file, p.currentLocation().getLineNr(), "not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!"log_history".equals(field)) {
          p.skipChildren();
          continue;
        }
        sawHistory = true;
        if (value != JsonToken.START_ARRAY) {
          throw new MetricsFormatException(file, p.currentLocation().getLineNr(), "log_history is not an array");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
          long line = p.currentTokenLocation().getLineNr();
          JsonNode entry = p.readValueAsTree();
          if (entry != null && entry.isObject() && (entry.has("train_runtime") || entry.has("train_loss"))) {
            entry.fields().forEachRemaining(f -> summary.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class)));
          } else if (entry != null && entry.isObject() && !entry.has("loss") && !entry.has("eval_loss")) {
            continue; // other metrics (eval runtime only, custom callbacks): not a curve point
          } else {
            addRow(file, line, entry, "learning_rate", steps, evals);
          }
        }
      }
    } catch (JsonProcessingException e) {
      throw new MetricsFormatException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          "not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    if (!sawHistory) {
      throw new MetricsFormatException(file, 1, "no log_history: is this a Hugging Face trainer_state.json?");
    }
    return new RunHistory(name, file.toString(), steps, evals, summary);
  }

  /** The run name for a file: its folder for the standard names, else the file name without extension. */
  static String defaultName(Path file) {
    String fileName = file.getFileName().toString();
    Path parent = file.toAbsolutePath().getParent();
    boolean standard = fileName.equals("metrics.jsonl") || fileName.equals("trainer_state.json");
    if (standard && parent != null && parent.getFileName() != null) {
      return parent.getFileName().toString();
    }
    int dot = fileName.indexOf('.');
    return dot > 0 ? fileName.substring(0, dot) : fileName;
  }

  private static void addRow(Path file, long line, JsonNode row, String lrKey, List<Step> steps,
                             List<EvalPoint> evals) {
    if (row == null || !row.isObject()) {
      throw new MetricsFormatException(file, line, "expected a JSON object");
    }
    if (!row.has("step")) {
      throw new MetricsFormatException(file, line, "missing key 'step'");
    }
    long step = integer(file, line, row, "step");
    double epoch = optional(file, line, row, "epoch");
    if (row.has("eval_loss")) {
      double evalLoss = number(file, line, row, "eval_loss");
      if (!evals.isEmpty() && step < evals.get(evals.size() - 1).step()) {
        throw new MetricsFormatException(file, line,
            "eval step " + step + " comes after eval step " + evals.get(evals.size() - 1).step());
      }
      evals.add(new EvalPoint(step, epoch, evalLoss));
      if (!row.has("loss")) {
        return;
      }
    }
    if (!row.has("loss")) {
      throw new MetricsFormatException(file, line, "missing key 'loss' (and no 'eval_loss')");
    }
    if (!steps.isEmpty() && step <= steps.get(steps.size() - 1).step()) {
      throw new MetricsFormatException(file, line,
          "step " + step + " does not increase (previous step " + steps.get(steps.size() - 1).step() + ")");
    }
    steps.add(new Step(step, epoch, number(file, line, row, "loss"), optional(file, line, row, lrKey),
        optional(file, line, row, "grad_norm"), optional(file, line, row, "tokens"),
        optional(file, line, row, "tokens_per_s"), optional(file, line, row, "elapsed_s")));
  }

  private static long integer(Path file, long line, JsonNode row, String key) {
    JsonNode v = row.get(key);
    if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble())) {
      throw new MetricsFormatException(file, line, "'" + key + "' is not an integer: " + v);
    }
    return v.asLong();
  }

  private static double number(Path file, long line, JsonNode row, String key) {
    JsonNode v = row.get(key);
    if (v.isTextual() && List.of("NaN", "Infinity", "-Infinity").contains(v.asText())) {
      return Double.parseDouble(v.asText()); // Jackson's default way of writing a non-finite double
    }
    if (!v.isNumber()) {
      throw new MetricsFormatException(file, line, "'" + key + "' is not a number: " + v);
    }
    return v.asDouble();
  }

  private static double optional(Path file, long line, JsonNode row, String key) {
    JsonNode v = row.get(key);
    return v == null || v.isNull() ? Double.NaN : number(file, line, row, key);
  }
}
