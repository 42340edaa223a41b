package io.thinklab.preflight;

import io.thinklab.data.Dataset;
import io.thinklab.data.Reject;
import io.thinklab.data.Triplet;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One dataset of a run file, streamed through the data layer's loader ({@link Dataset#stream()}: its checks, its
 * reject reasons, gzip, Parquet, folders, hub caches) with the run file's filters on top. The diagnosis needs one
 * pass and only lengths, so rows are never all held: that keeps the preflight of a 25,000-row corpus small.
 *
 * <p>Filters: {@code non_empty} and {@code min_thinking_chars} go to the loader ({@code empty_field},
 * {@code short_thinking}); {@code max_rows} caps the rows the loader accepts; {@code no_markers_in_fields}
 * ({@code markers_in_field}) and {@code max_chars} ({@code too_many_chars}) are applied here, after the cap.
 */
final class RunData implements Iterable<Triplet> {

  private final Path shown;
  private final Dataset.Streamed rows;
  private final RunFile.Filters filters;
  private final Map<String, Integer> extraRejects = new LinkedHashMap<>();
  private final Map<String, String> extraFirst = new LinkedHashMap<>();
  private int kept;

  RunData(Dataset dataset, Path shown, RunFile.Filters filters) {
    this.filters = filters == null ? RunFile.Filters.NONE : filters;
    int minThinking = this.filters.minThinkingChars();
    if (this.filters.nonEmpty()) {
      minThinking = Math.max(1, minThinking); // a blank thinking is then short_thinking
    }
    this.rows = dataset.lenient().minThinkingChars(minThinking).stream();
    this.shown = shown;
  }

  /** The file (or folder, or hub cache) read, for reports. */
  Path shown() {
    return shown;
  }

  /** Rows the loader read in the latest complete pass. */
  int rowsRead() {
    return rows.result() == null ? 0 : rows.result().rowsRead();
  }

  /** Rows passed on in the latest complete pass. */
  int rowsKept() {
    return kept;
  }

  /** Rejected rows by reason label (the loader's, then this class's), non-zero only. */
  Map<String, Integer> rejects() {
    Map<String, Integer> m = new LinkedHashMap<>();
    if (rows.result() != null) {
      rows.result().byReason().forEach((r, n) -> {
        if (n > 0) {
          m.put(r.label(), n);
        }
      });
    }
    m.putAll(extraRejects);
    return m;
  }

  /** The first rejected row ({@code file:line}) of each reason. */
  Map<String, String> firstRejects() {
    Map<String, String> m = new LinkedHashMap<>();
    if (rows.result() != null) {
      for (Reject r : rows.result().rejects()) {
        m.putIfAbsent(r.reason().label(), Path.of(r.file()).getFileName() + ":" + r.line());
      }
    }
    m.putAll(extraFirst);
    return m;
  }

  @Override
  public Iterator<Triplet> iterator() {
    extraRejects.clear();
    extraFirst.clear();
    kept = 0;
    Iterator<Triplet> it = rows.iterator();
    return new Iterator<>() {
      Triplet next = advance();

      private Triplet advance() {
        while (it.hasNext()) {
          Triplet t = it.next();
          String why = why(t);
          if (why == null) {
            kept++;
            return t;
          }
          extraRejects.merge(why, 1, Integer::sum);
          extraFirst.putIfAbsent(why, t.source().isEmpty() ? t.id() : Path.of(t.source()).getFileName().toString());
        }
        return null;
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

  /** The reason this run's own filters refuse {@code t}, or null. */
  private String why(Triplet t) {
    if (filters.noMarkersInFields() && (has(t.problem()) || has(t.thinking()) || has(t.solution()))) {
      return "markers_in_field";
    }
    if (filters.maxChars() > 0
        && t.problem().length() + t.thinking().length() + t.solution().length() > filters.maxChars()) {
      return "too_many_chars";
    }
    return null;
  }

  private static boolean has(String s) {
    return s.contains("<think>") || s.contains("</think>");
  }

}
