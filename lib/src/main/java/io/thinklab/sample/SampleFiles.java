package io.thinklab.sample;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes the sample JSONL files: one JSON object per line, UTF-8, {@code \n} line ends, fields in a
 * fixed order ({@code id, problem, thinking, solution, answer, kind, variant, style, scale, params,
 * synthetic}). A name ending in {@code .gz} is gzip-compressed.
 */
public final class SampleFiles {
  private SampleFiles() {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);

  /** The row as one JSON line (without the line end). */
  public static String toJson(SampleRow row) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", row.id());
    o.put("problem", row.problem().text());
    o.put("thinking", row.written().thinking());
    o.put("solution", row.written().solution());
    o.set("answer", number(row.problem().answer()));
    o.put("kind", row.problem().kind());
    o.put("variant", row.problem().variant());
    o.put("style", row.style().label());
    o.put("scale", row.scale().label());
    ObjectNode params = o.putObject("params");
    for (Map.Entry<String, BigDecimal> e : row.problem().params().entrySet()) {
      params.set(e.getKey(), number(e.getValue()));
    }
    o.put("synthetic", true);
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode number(BigDecimal x) {
    BigDecimal s = x.stripTrailingZeros();
    return s.scale() <= 0 ? JSON.getNodeFactory().numberNode(s.toBigIntegerExact())
        : JSON.getNodeFactory().numberNode(s);
  }

  /** Writes rows as JSONL (gzip when the name ends in {@code .gz}); creates parent folders. */
  public static void write(List<SampleRow> rows, Path file) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    try (OutputStream raw = Files.newOutputStream(file);
         OutputStream out = gz(file) ? new GZIPOutputStream(raw, 1 << 16) : raw;
         Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
      for (SampleRow r : rows) {
        w.write(toJson(r));
        w.write('\n');
      }
    }
  }

  /** The text of a JSONL file, decompressed when the name ends in {@code .gz}. */
  public static String readText(Path file) throws IOException {
    try (InputStream in = open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The {@code problem} field of every line of a JSONL file (plain or {@code .gz}). */
  public static Set<String> problems(Path file) throws IOException {
    Set<String> out = new HashSet<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          JsonNode p = JSON.readTree(line).get("problem");
          if (p != null) {
            out.add(p.asText());
          }
        }
      }
    }
    return out;
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    return gz(file) ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static boolean gz(Path file) {
    return file.getFileName().toString().endsWith(".gz");
  }
}
