package io.thinklab.run;

import io.thinklab.data.Dataset;
import io.thinklab.data.Reject;
import io.thinklab.data.Splits;
import io.thinklab.data.Triplet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The rows of one run-file dataset, in the order a run uses them: the one selection both the preflight (which
 * measures them) and {@code thinklab train} (which trains on them) read, so the rows measured are the rows trained.
 *
 * <ol>
 *   <li>The loader ({@link Dataset#stream()}: UTF-8, JSON, fields, duplicate ids) with the run's
 *       {@code min_thinking_chars}; {@code non_empty} also rejects a blank thinking ({@code short_thinking}).</li>
 *   <li>{@code no_markers_in_fields} ({@code markers_in_field}) and {@code max_chars} ({@code too_many_chars}).</li>
 *   <li>{@code max_rows}: when more rows than that pass, {@code max_rows} of them drawn as the seed did
 *       ({@code shuffle(seed=42).select(range(max_rows))} after its filter): {@link Splits#select} with the entry's
 *       {@code seed}, in the shuffled order; with {@code shuffle: false}, the first {@code max_rows} in file order.
 *       Otherwise every row, in file order.</li>
 * </ol>
 *
 * <pre>{@code
 * RunRows rows = RunRows.of(RunSources.data(run.data().get(0), base));
 * for (Triplet t : rows) { ... }                 // streamed; rows.rowsKept(), rows.rejects() after a full pass
 * }</pre>
 *
 * <p>Memory: without a cap the rows stream (a few held at once); with one, at most {@code max_rows} rows are held
 * (they must be handed over in the drawn order), and a shuffled cap reads the files twice (once to count the rows
 * that pass, once to take the drawn ones).
 */
public final class RunRows implements Iterable<Triplet> {

  private final Dataset.Streamed rows;
  private final Path shown;
  private final RunFile.Filters filters;
  private final int maxRows;
  private final boolean shuffle;
  private final long seed;
  private final Map<String, Integer> extraRejects = new LinkedHashMap<>();
  private final Map<String, String> extraFirst = new LinkedHashMap<>();
  private int passed;
  private int kept;

  private RunRows(Dataset dataset, Path shown, RunFile.Data entry) {
    this.filters = entry.filters() == null ? RunFile.Filters.NONE : entry.filters();
    int minThinking = filters.minThinkingChars();
    if (filters.nonEmpty()) {
      minThinking = Math.max(1, minThinking); // a blank thinking is then short_thinking
    }
    this.rows = dataset.lenient().minThinkingChars(minThinking).maxRows(0).stream();
    this.shown = shown;
    this.maxRows = entry.maxRows();
    this.shuffle = entry.shuffle();
    this.seed = entry.seed();
    if (maxRows < 0) {
      throw new IllegalArgumentException("max_rows must be >= 0, was " + maxRows);
    }
  }

  /** The rows of a data entry found by {@link RunSources}. */
  public static RunRows of(RunSources.Found found) {
    return new RunRows(found.dataset(), found.shown(), found.entry());
  }

  /** The rows of {@code dataset} with {@code entry}'s filters, cap and seed ({@code entry.path()} is not read). */
  public static RunRows of(Dataset dataset, Path shown, RunFile.Data entry) {
    return new RunRows(dataset, shown, entry);
  }

  /** Every row of a full pass, in order (held in memory: what the trainer needs). */
  public List<Triplet> toList() {
    List<Triplet> all = new ArrayList<>();
    forEach(all::add);
    return all;
  }

  /** The file (or folder, or hub cache) read, for reports. */
  public Path shown() {
    return shown;
  }

  /** Rows the loader read in the latest complete pass. */
  public int rowsRead() {
    return rows.result() == null ? 0 : rows.result().rowsRead();
  }

  /** Rows that passed the loader and the filters in the latest complete pass, before {@code max_rows}. */
  public int rowsPassed() {
    return passed;
  }

  /** Rows handed over in the latest complete pass: {@link #rowsPassed()} capped at {@code max_rows}. */
  public int rowsKept() {
    return kept;
  }

  /** How {@code max_rows} chose, for reports: empty when it did not cut. */
  public String selection() {
    if (maxRows == 0 || passed <= maxRows) {
      return "";
    }
    return shuffle ? String.format("%,d of %,d drawn with seed %d", kept, passed, seed)
        : String.format("the first %,d of %,d", kept, passed);
  }

  /** Rejected rows by reason label (the loader's, then the run's filters'), non-zero only. */
  public Map<String, Integer> rejects() {
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

  /** The first rejected row ({@code file:line}, or the row's id) of each reason. */
  public Map<String, String> firstRejects() {
    Map<String, String> m = new LinkedHashMap<>();
    if (rows.result() != null) {
      for (Reject r : rows.result().rejects()) {
        m.putIfAbsent(r.reason().label(), Path.of(r.file()).getFileName() + ":" + r.line());
      }
    }
    m.putAll(extraFirst);
    return m;
  }

  /** A new pass over the files, handing over the selected rows in the run's order. */
  @Override
  public Iterator<Triplet> iterator() {
    if (maxRows == 0) {
      return filtered(); // everything, streamed in file order
    }
    // first pass: hold rows until the cap is passed; a file with no more rows than the cap keeps file order
    List<Triplet> held = new ArrayList<>();
    int n = 0;
    Iterator<Triplet> first = filtered();
    while (first.hasNext()) {
      Triplet t = first.next();
      n++;
      if (n <= maxRows) {
        held.add(t);
      } else if (shuffle) {
        held.clear(); // a draw is needed: the second pass takes the drawn rows
      } // else the first max_rows are held; the rest is only counted, for the report
    }
    if (n <= maxRows || !shuffle) {
      kept = held.size();
      return held.iterator();
    }
    // the seed's draw: Splits.select on the n rows, done on their indices so no more than max_rows are held
    List<Integer> order = Splits.select(IntStream.range(0, n).boxed().toList(), maxRows, seed);
    int[] rank = new int[n];
    Arrays.fill(rank, -1);
    for (int r = 0; r < order.size(); r++) {
      rank[order.get(r)] = r;
    }
    Triplet[] drawn = new Triplet[order.size()];
    Iterator<Triplet> second = filtered();
    int i = 0;
    while (second.hasNext()) {
      Triplet t = second.next();
      if (i < n && rank[i] >= 0) {
        drawn[rank[i]] = t;
      }
      i++;
    }
    if (i != n) {
      throw new IllegalStateException(shown + " changed while it was read: " + n + " rows passed, then " + i);
    }
    kept = drawn.length;
    return Arrays.asList(drawn).iterator();
  }

  /** One pass of the loader with the run's own filters; counts what passed and what was refused. */
  private Iterator<Triplet> filtered() {
    extraRejects.clear();
    extraFirst.clear();
    passed = 0;
    kept = 0;
    Iterator<Triplet> it = rows.iterator();
    return new Iterator<>() {
      Triplet next = advance();

      private Triplet advance() {
        while (it.hasNext()) {
          Triplet t = it.next();
          String why = why(t);
          if (why == null) {
            passed++;
            if (maxRows == 0) {
              kept++;
            }
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
          throw new java.util.NoSuchElementException();
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
