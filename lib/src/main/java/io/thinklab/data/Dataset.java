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
import java.util.Set;
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

  private Dataset(String source, Path path, HubDataset hub) {
    this.source = source;
    this.path = path;
    this.hub = hub;
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

  /** Reads every file and returns the accepted triplets and the rejects. */
  public LoadResult read() {
    List<Triplet> triplets = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>();
    Map<RejectReason, Integer> byReason = new EnumMap<>(RejectReason.class);
    Map<String, String> seen = new HashMap<>();
    Set<String> mappings = new LinkedHashSet<>();
    int[] rows = {0};
    for (Path file : files()) {
      RowConverter converter = new RowConverter(mapping, minThinkingChars, stem(file));
      Reader reader = isParquet(file) ? ParquetReader::read : JsonlReader::read;
      reader.read(file, raw -> {
        rows[0]++;
        RowConverter.Outcome out = converter.convert(raw);
        Reject reject = out.reject();
        if (reject == null) {
          String first = seen.putIfAbsent(out.triplet().id(), out.triplet().source());
          if (first == null) {
            triplets.add(out.triplet());
            return;
          }
          reject = new Reject(raw.file(), raw.line(), RejectReason.DUPLICATE_ID,
              "id '" + out.triplet().id() + "' was already used at " + first);
        }
        if (strict) {
          throw new LoadException(reject);
        }
        rejects.add(reject);
        byReason.merge(reject.reason(), 1, Integer::sum);
      });
      mappings.add(converter.mappingUsed());
    }
    return new LoadResult(source, triplets, rejects, rows[0], byReason, String.join("; ", mappings));
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
        + (mapping == null ? "" : ", mapping=" + mapping.describe()) + "]";
  }
}
