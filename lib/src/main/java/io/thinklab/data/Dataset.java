package io.thinklab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Loads triplets from JSONL ({@code .jsonl}, gzipped or not), Parquet ({@code .parquet}), a folder of such
 * files, or a Hugging Face dataset id, validating every row.
 *
 * <pre>{@code
 * LoadResult data = Dataset.load(Path.of("data/opus-style.jsonl")).read();          // lenient, seed filter
 * LoadResult strict = Dataset.load(path).strict().minThinkingChars(50).read();       // throws at the first bad row
 * LoadResult hub = Dataset.hub("crownelius/Opus-4.6-Reasoning-3300x").read();       // downloads to data/hub/
 * }</pre>
 *
 * <p>Rows are checked in this order, each failure a {@link Reject} with its {@link RejectReason}: valid UTF-8,
 * valid JSON object, the mapped fields present ({@link FieldMapping}), problem and solution non-blank, thinking
 * at least {@link #minThinkingChars(int)} characters (default {@value #SEED_MIN_THINKING_CHARS}, the seed's
 * filter), id not seen before. The id is the row's {@code id} field, else {@code fileStem:line}.
 *
 * <p>{@link #lenient()} (the default) skips bad rows and returns them in {@link LoadResult#rejects()};
 * {@link #strict()} throws a {@link LoadException} naming file, line and reason at the first one. A row that
 * matches two known field mappings stops the load in both modes: pass {@link #mapping(FieldMapping)}.
 *
 * <p>{@link #read()} holds every accepted triplet; {@link #stream()} hands them over one at a time, for corpora
 * that should not be held (the truncation diagnosis of 25,000 GLM-length rows), with the same checks and rejects.
 */
public final class Dataset {

  /** The seed's filter: thinking of at least 20 characters (after stripping). */
  public static final int SEED_MIN_THINKING_CHARS = 20;

  private final String source;
  private final Path path;
  private final HubDataset hub;
  private boolean strict;
  private int minThinkingChars = SEED_MIN_THINKING_CHARS;
  private FieldMapping mapping;
  private int maxRows;

  private Dataset(String source, Path path, HubDataset hub) {
    this.source = source;
    this.path = path;
    this.hub = hub;
  }

  /**
   * Several row sources read one after the other, lazily: only one dataset's reader runs at a time, so a corpus
   * of many files streams in constant memory (what the diagnosis and the preflight need).
   */
  public static Iterable<Triplet> concat(List<? extends Iterable<Triplet>> parts) {
    return () -> new java.util.Iterator<>() {
      int i;
      java.util.Iterator<Triplet> cur = parts.isEmpty() ? null : parts.get(0).iterator();

      @Override
      public boolean hasNext() {
        while (cur != null && !cur.hasNext()) {
          i++;
          cur = i < parts.size() ? parts.get(i).iterator() : null;
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

  /** A JSONL or Parquet file, or a folder of them. */
  public static Dataset load(Path path) {
    return new Dataset(path.toString(), Objects.requireNonNull(path, "path"), null);
  }

  /** A file path, or {@code hf:owner/name} for a Hugging Face dataset. */
  public static Dataset load(String pathOrHubId) {
    return pathOrHubId.startsWith("hf:") ? hub(pathOrHubId.substring(3)) : load(Path.of(pathOrHubId));
  }

  /** A Hugging Face dataset by id, with the default endpoint and cache. */
  public static Dataset hub(String id) {
    return hub(HubDataset.of(id));
  }

  /** A Hugging Face dataset with custom settings (endpoint, cache, timeout). */
  public static Dataset hub(HubDataset hub) {
    return new Dataset(hub.toString(), null, hub);
  }

  /** Fail at the first bad row with a {@link LoadException}. */
  public Dataset strict() {
    this.strict = true;
    return this;
  }

  /** Skip bad rows, counting and returning them (the default). */
  public Dataset lenient() {
    this.strict = false;
    return this;
  }

  /** Rows whose stripped thinking is shorter are rejected as {@code short_thinking}; 0 disables the check. */
  public Dataset minThinkingChars(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("minThinkingChars must be >= 0, got " + n);
    }
    this.minThinkingChars = n;
    return this;
  }

  /** Read fields with this mapping instead of detecting one. */
  public Dataset mapping(FieldMapping m) {
    this.mapping = m;
    return this;
  }

  /** Stop after this many accepted rows (a run file's {@code max_rows}); 0, the default, reads everything. */
  public Dataset maxRows(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("maxRows must be >= 0, got " + n);
    }
    this.maxRows = n;
    return this;
  }

  /** Reads every file and returns the accepted triplets and the rejects. */
  public LoadResult read() {
    List<Triplet> triplets = new ArrayList<>();
    Tally t = load(triplets::add, () -> false);
    return new LoadResult(source, triplets, t.rejects, t.rows, t.byReason, String.join("; ", t.mappings));
  }

  /**
   * The accepted rows, streamed: each iteration reads the files again on a reader thread that hands rows over
   * through a small queue, so only a few rows are in memory at once. The checks, the reject reasons and strict
   * mode are those of {@link #read()} (a strict load's {@link LoadException} is thrown by {@code hasNext}).
   * After an iteration has run to its end, {@link Streamed#result()} describes it.
   */
  public Streamed stream() {
    return new Streamed();
  }

  /** The rows of a {@link #stream()}: an {@link Iterable} that reads the files again for every iteration. */
  public final class Streamed implements Iterable<Triplet> {
    private volatile LoadResult last;

    private Streamed() {}

    /**
     * The counts and rejects of the latest complete iteration, with an empty triplet list ({@code accepted()} is
     * then {@code rowsRead - rejected()}); null before one has completed.
     */
    public LoadResult result() {
      return last;
    }

    /** {@link LoadResult#summary()} of the latest complete iteration, with its accepted count; or "not read yet". */
    public String summary() {
      if (last == null) {
        return source + ": not read yet";
      }
      String empty = source + ": " + last.rowsRead() + " rows, 0 accepted, ";
      String s = last.summary();
      return s.startsWith(empty) ? source + ": " + last.rowsRead() + " rows, " + accepted() + " accepted, "
          + s.substring(empty.length()) : s;
    }

    /** The rows accepted by the latest complete iteration. */
    public int accepted() {
      return last == null ? 0 : last.rowsRead() - last.rejected();
    }

    /** A new pass over the files. Close it when leaving early, so the reader thread stops. */
    @Override
    public Rows iterator() {
      return new Rows(this);
    }

    private void done(Tally t) {
      last = new LoadResult(source, List.of(), t.rejects, t.rows, t.byReason, String.join("; ", t.mappings));
    }
  }

  /** One pass of a {@link Streamed}; {@link #close()} stops the reader thread early. */
  public final class Rows implements java.util.Iterator<Triplet>, AutoCloseable {
    private static final Object END = new Object();
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(256);
    private volatile boolean closed;
    private Object next;
    private boolean finished;

    private Rows(Streamed owner) {
      Thread reader = new Thread(() -> {
        Object last = END;
        try {
          Tally t = load(this::put, () -> closed);
          if (!closed) {
            owner.done(t);
          }
        } catch (RuntimeException | Error e) {
          last = e;
        }
        put(last);
      }, "thinklab-dataset-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void put(Object o) {
      try {
        while (!closed && !queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
          // the consumer is slower than the files; wait, unless it has gone
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
    }

    @Override
    public boolean hasNext() {
      if (next == null && !finished) {
        try {
          next = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while reading " + source, e);
        }
        if (next == END) {
          finished = true;
          next = null;
        } else if (next instanceof RuntimeException e) {
          finished = true;
          next = null;
          throw e;
        } else if (next instanceof Error e) {
          finished = true;
          next = null;
          throw e;
        }
      }
      return next != null;
    }

    @Override
    public Triplet next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Triplet t = (Triplet) next;
      next = null;
      return t;
    }

    @Override
    public void close() {
      closed = true;
      queue.clear();
    }
  }

  /** What a pass counted besides the accepted rows. */
  private static final class Tally {
    final List<Reject> rejects = new ArrayList<>();
    final Map<RejectReason, Integer> byReason = new EnumMap<>(RejectReason.class);
    final Set<String> mappings = new LinkedHashSet<>();
    int rows;
    int accepted;
  }

  /** Thrown by the sink to stop reading at the row cap or when a stream's consumer has gone. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }

  /** Reads every file, handing accepted triplets to {@code sink}, until {@code maxRows} or {@code stop}. */
  private Tally load(Consumer<Triplet> sink, java.util.function.BooleanSupplier stop) {
    Tally t = new Tally();
    Map<String, String> seen = new HashMap<>();
    try {
      for (Path file : files()) {
        RowConverter converter = new RowConverter(mapping, minThinkingChars, stem(file));
        Reader reader = isParquet(file) ? ParquetReader::read : JsonlReader::read;
        try {
          reader.read(file, raw -> {
            if (stop.getAsBoolean() || (maxRows > 0 && t.accepted >= maxRows)) {
              throw new Stop();
            }
            t.rows++;
            RowConverter.Outcome out = converter.convert(raw);
            Reject reject = out.reject();
            if (reject == null) {
              String first = seen.putIfAbsent(out.triplet().id(), out.triplet().source());
              if (first == null) {
                t.accepted++;
                sink.accept(out.triplet());
                return;
              }
              reject = new Reject(raw.file(), raw.line(), RejectReason.DUPLICATE_ID,
                  "id '" + out.triplet().id() + "' was already used at " + first);
            }
            if (strict) {
              throw new LoadException(reject);
            }
            t.rejects.add(reject);
            t.byReason.merge(reject.reason(), 1, Integer::sum);
          });
        } finally {
          t.mappings.add(converter.mappingUsed());
        }
      }
    } catch (Stop stopped) {
      // the row cap was reached, or a stream's consumer closed it
    }
    return t;
  }

  private interface Reader {
    void read(Path file, java.util.function.Consumer<RawRow> sink);
  }

  private List<Path> files() {
    if (hub != null) {
      return hub.files();
    }
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(path + ": no such file (for a Hugging Face dataset write hf:owner/name)");
    }
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> s = Files.list(path)) {
      List<Path> files = s.filter(p -> isParquet(p) || p.toString().endsWith(".jsonl")
          || p.toString().endsWith(".jsonl.gz")).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException(path + ": folder holds no .jsonl, .jsonl.gz or .parquet files");
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot list: " + e.getMessage(), e);
    }
  }

  private static boolean isParquet(Path p) {
    return p.getFileName().toString().endsWith(".parquet");
  }

  /** {@code opus.jsonl.gz} → {@code opus}. */
  static String stem(Path p) {
    String n = p.getFileName().toString();
    for (String ext : List.of(".gz", ".jsonl", ".json", ".parquet")) {
      if (n.endsWith(ext)) {
        n = n.substring(0, n.length() - ext.length());
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return "Dataset[" + source + (strict ? ", strict" : ", lenient") + ", minThinkingChars=" + minThinkingChars
        + (maxRows > 0 ? ", maxRows=" + maxRows : "")
        + (mapping == null ? "" : ", mapping=" + mapping.describe()) + "]";
  }
}
