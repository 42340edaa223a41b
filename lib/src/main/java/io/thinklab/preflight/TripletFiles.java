package io.thinklab.preflight;

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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * Streams (problem, thinking, solution) rows from a JSON Lines file ({@code .jsonl} or {@code .jsonl.gz}),
 * applying the run file's filters and row cap, and counting rejected rows by reason.
 *
 * <p>A minimal reader for the diagnosis and the preflight; the data package's loaders replace it at merge. Fields
 * are {@code problem}, {@code thinking}, {@code solution} (optional {@code id}); the row's source is
 * {@code file:line}. Each iteration re-reads the file, so a corpus never has to fit in memory; the reject counts
 * describe the latest complete iteration.
 */
public final class TripletFiles implements Iterable<Triplet> {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final RunFile.Filters filters;
  private final int maxRows;
  private final Map<String, Integer> rejects = new LinkedHashMap<>();
  private final Map<String, String> firstReject = new LinkedHashMap<>();
  private int read;
  private int kept;

  private TripletFiles(Path file, RunFile.Filters filters, int maxRows) {
    this.file = file;
    this.filters = filters;
    this.maxRows = maxRows;
  }

  /**
   * Rows of {@code file} that pass {@code filters}, at most {@code maxRows} of them (0 = no cap).
   *
   * @throws IllegalArgumentException when the file does not exist
   */
  public static TripletFiles open(Path file, RunFile.Filters filters, int maxRows) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such data file");
    }
    return new TripletFiles(file, filters == null ? RunFile.Filters.NONE : filters, maxRows);
  }

  /** All rows of {@code file}, no filters, no cap. */
  public static TripletFiles open(Path file) {
    return open(file, RunFile.Filters.NONE, 0);
  }

  /**
   * The rows of several files, one after the other, read lazily: at most one row of one file is held at a time.
   * (A {@code Stream.flatMap(...).iterator()} would not do: it buffers a whole file per step.)
   */
  public static Iterable<Triplet> concat(List<TripletFiles> files) {
    return () -> new Iterator<>() {
      int i;
      Iterator<Triplet> cur = files.isEmpty() ? null : files.get(0).iterator();

      @Override
      public boolean hasNext() {
        while (cur != null && !cur.hasNext()) {
          i++;
          cur = i < files.size() ? files.get(i).iterator() : null;
        }
        return cur != null;
      }

      @Override
      public Triplet next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return cur.next();
      }
    };
  }

  /** The file read. */
  public Path file() {
    return file;
  }

  /** Lines read in the latest complete iteration. */
  public int rowsRead() {
    return read;
  }

  /** Rows passed on in the latest complete iteration. */
  public int rowsKept() {
    return kept;
  }

  /** Rejected rows by reason, in the order reasons were first seen. */
  public Map<String, Integer> rejects() {
    return Map.copyOf(rejects);
  }

  /** The first rejected row ({@code file:line}) of each reason. */
  public Map<String, String> firstRejects() {
    return Map.copyOf(firstReject);
  }

  @Override
  public Iterator<Triplet> iterator() {
    rejects.clear();
    firstReject.clear();
    read = 0;
    kept = 0;
    BufferedReader in = reader();
    return new Iterator<>() {
      Triplet next = advance();
      int line;

      private Triplet advance() {
        try {
          String s;
          while ((maxRows <= 0 || kept < maxRows) && (s = in.readLine()) != null) {
            line++;
            if (s.isBlank()) {
              continue;
            }
            read++;
            Triplet t = parse(s, line);
            if (t != null) {
              kept++;
              return t;
            }
          }
          in.close();
          return null;
        } catch (IOException e) {
          throw new UncheckedIOException(file + ":" + line + ": " + e.getMessage(), e);
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Triplet next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Triplet t = next;
        next = advance();
        return t;
      }
    };
  }

  private BufferedReader reader() {
    try {
      InputStream raw = Files.newInputStream(file);
      InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** The row at {@code line}, or null after counting why it was rejected. */
  private Triplet parse(String s, int line) {
    String where = file.getFileName() + ":" + line;
    JsonNode n;
    try {
      n = JSON.readTree(s);
    } catch (JsonProcessingException e) {
      return reject("malformed JSON", where);
    }
    if (n == null || !n.isObject()) {
      return reject("not a JSON object", where);
    }
    String problem = text(n, "problem");
    String thinking = text(n, "thinking");
    String solution = text(n, "solution");
    if (problem == null || thinking == null || solution == null) {
      return reject("missing problem/thinking/solution field", where);
    }
    if (filters.nonEmpty() && (problem.isBlank() || solution.isBlank() || thinking.isBlank())) {
      return reject("empty field", where);
    }
    if (thinking.strip().length() < filters.minThinkingChars()) {
      return reject("thinking shorter than " + filters.minThinkingChars() + " chars", where);
    }
    if (filters.noMarkersInFields() && (has(problem) || has(thinking) || has(solution))) {
      return reject("<think> or </think> inside a field", where);
    }
    if (filters.maxChars() > 0 && problem.length() + thinking.length() + solution.length() > filters.maxChars()) {
      return reject("longer than " + filters.maxChars() + " chars", where);
    }
    String id = n.hasNonNull("id") ? n.get("id").asText() : where;
    return new Triplet(id, problem, thinking, solution, where, Map.of());
  }

  private Triplet reject(String reason, String where) {
    rejects.merge(reason, 1, Integer::sum);
    firstReject.putIfAbsent(reason, where);
    return null;
  }

  private static boolean has(String s) {
    return s.contains("<think>") || s.contains("</think>");
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }
}
