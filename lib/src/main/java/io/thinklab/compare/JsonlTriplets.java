package io.thinklab.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.data.Triplet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Stand-in reader for triplet JSONL ({@code .jsonl} or {@code .jsonl.gz}) until {@code io.thinklab.data}'s
 * loader lands: one object per line with {@code problem}, {@code thinking}, {@code solution}, optional
 * {@code id} and {@code metadata}; other fields join the metadata.
 */
final class JsonlTriplets {
  private JsonlTriplets() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The dataset's default label: the file name without {@code .jsonl} / {@code .jsonl.gz}. */
  static String name(Path file) {
    return file.getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.jsonl?$", "");
  }

  static List<Triplet> read(Path file) {
    List<Triplet> out = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
         InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
         BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String text;
      int line = 0;
      while ((text = r.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode row;
        try {
          row = JSON.readTree(text);
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException(file + ":" + line + ": not JSON (" + e.getOriginalMessage() + ")");
        }
        if (!row.isObject()) {
          throw new IllegalArgumentException(file + ":" + line + ": expected a JSON object");
        }
        for (String key : List.of("problem", "thinking", "solution")) {
          if (!row.path(key).isTextual()) {
            throw new IllegalArgumentException(file + ":" + line + ": missing text field '" + key + "'");
          }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        row.fields().forEachRemaining(f -> {
          String k = f.getKey();
          if (k.equals("metadata") && f.getValue().isObject()) {
            f.getValue().fields().forEachRemaining(m -> put(metadata, m.getKey(), m.getValue()));
          } else if (!List.of("id", "problem", "thinking", "solution").contains(k)) {
            put(metadata, k, f.getValue());
          }
        });
        String id = row.hasNonNull("id") ? row.get("id").asText() : "line-" + line;
        out.add(new Triplet(id, row.get("problem").asText(), row.get("thinking").asText(),
            row.get("solution").asText(), file + ":" + line, metadata));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static void put(Map<String, Object> m, String key, JsonNode value) {
    if (!value.isNull()) {
      m.put(key, value.isValueNode() ? JSON.convertValue(value, Object.class) : value.toString());
    }
  }
}
