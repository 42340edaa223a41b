package io.thinklab.run;

import io.thinklab.data.Dataset;
import io.thinklab.data.HubDataset;
import io.thinklab.tokens.HubFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run file's data and tokenizer are, looked up the same way by the preflight and by {@code thinklab train},
 * without the network.
 *
 * <p>Data: {@code path} against the base folder (a file or a folder of {@code .jsonl}, {@code .jsonl.gz},
 * {@code .parquet}); for a hub id ({@code owner/name} or {@code hf:owner/name}), a finished download in
 * {@code <base>/data/hub/owner/name/}. Tokenizer: the base model folder's own {@code tokenizer.json}, then
 * {@code path} against the base folder, then for a hub id {@code <base>/data/hub/owner--name/}.
 *
 * <p>A run file's {@code fallback} (a synthetic sample, another model's tokenizer) is never taken here: the caller
 * decides. The preflight approximates with it and says so; the trainer stops with {@link #missingData} or
 * {@link #missingTokenizer}, unless told to use it ({@code --allow-fallback}).
 *
 * <pre>{@code
 * RunSources.Found data = RunSources.data(run.data().get(0), base);     // null when not there
 * Path tok = RunSources.tokenizer(run.tokenizer().path(), base, null); // null when not there
 * }</pre>
 */
public final class RunSources {

  /**
   * The folder a run file's relative paths ({@code data/samples/…}, {@code data/tiny-tokenizer}) resolve against:
   * the checkout (the first folder upward holding {@code environment/lab}) when run inside one, else the working
   * folder. The preflight, {@code thinklab train} and the notebooks all resolve against it.
   */
  public static Path root() {
    Path p = Path.of("").toAbsolutePath();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.isRegularFile(q.resolve("environment/lab"))) {
        return q;
      }
    }
    return p;
  }

  /** The hub cache, relative to the base folder: datasets in {@code owner/name/}, tokenizers in {@code owner--name/}. */
  public static final Path HUB_CACHE = Path.of("data", "hub");

  private RunSources() {}

  /**
   * A data entry's files, found.
   *
   * @param entry    the run file's data entry (its filters, cap and seed apply)
   * @param dataset  the loader over the files
   * @param shown    the file or folder read, for reports
   * @param fallback true when these are the entry's fallback files, not its path
   */
  public record Found(RunFile.Data entry, Dataset dataset, Path shown, boolean fallback) {}

  /** The entry's own data ({@code path}): a local file or folder, else a finished hub download; null when neither. */
  public static Found data(RunFile.Data entry, Path base) {
    String id = hubId(entry.path());
    if (!entry.path().startsWith("hf:")) {
      Path p = base.resolve(entry.path());
      if (Files.exists(p)) {
        return new Found(entry, Dataset.load(p), p, false);
      }
    }
    if (id != null) {
      HubDataset hub = HubDataset.of(id).cache(base.resolve(HUB_CACHE));
      if (Files.isRegularFile(hub.folder().resolve("files.txt"))) {
        return new Found(entry, Dataset.hub(hub), hub.folder(), false);
      }
    }
    return null;
  }

  /** The entry's fallback file, when it names one that exists; else null. */
  public static Found fallback(RunFile.Data entry, Path base) {
    if (entry.fallback() == null) {
      return null;
    }
    Path p = base.resolve(entry.fallback());
    return Files.exists(p) ? new Found(entry, Dataset.load(p), p, true) : null;
  }

  /** Where {@link #data} looked for the entry, in order. */
  public static List<Path> dataPlaces(RunFile.Data entry, Path base) {
    List<Path> places = new ArrayList<>();
    if (!entry.path().startsWith("hf:")) {
      places.add(base.resolve(entry.path()));
    }
    String id = hubId(entry.path());
    if (id != null) {
      places.add(base.resolve(HUB_CACHE).resolve(id));
    }
    return places;
  }

  /**
   * What is missing, where it was looked for, how to get it and where to put it; for an error that stops a
   * training run before any weight is built.
   *
   * @param index the entry's index in the run file's {@code data} list (for {@code --set data.N.path})
   */
  public static String missingData(RunFile.Data entry, int index, Path base) {
    String id = hubId(entry.path());
    StringBuilder b = new StringBuilder("data " + entry.path() + " is not available: looked for "
        + String.join(" and ", dataPlaces(entry, base).stream().map(Path::toString).toList())
        + (id != null ? " (a finished download holds files.txt)" : "") + ". ");
    if (id != null) {
      b.append("Download it into ").append(base.resolve(HUB_CACHE).resolve(id)).append(" with `java -jar"
          + " lib/target/thinklab.jar data stats hf:").append(id).append("` run in ").append(base.toAbsolutePath())
          .append(" (HF_TOKEN for a gated dataset), or put its .jsonl/.jsonl.gz/.parquet files anywhere and pass"
              + " --set data.").append(index).append(".path=FILE_OR_FOLDER.");
    } else {
      b.append("Put the .jsonl/.jsonl.gz/.parquet file (or a folder of them) at ")
          .append(base.resolve(entry.path())).append(", or pass --set data.").append(index)
          .append(".path=FILE_OR_FOLDER.");
    }
    if (entry.fallback() != null) {
      b.append(" Training does not substitute the run file's fallback ").append(entry.fallback())
          .append(" (other rows than the run names); --allow-fallback trains on it, for a demo.");
    }
    return b.toString();
  }

  /**
   * The tokenizer folder (or {@code tokenizer.json}) of a run: {@code modelFolder}'s own when it holds
   * {@code tokenizer.json}, else {@code path} against the base folder, else a hub id's download in
   * {@code data/hub/owner--name/}; null when none exists.
   *
   * @param modelFolder a local base model folder, or null
   */
  public static Path tokenizer(String path, Path base, Path modelFolder) {
    for (Path p : tokenizerPlaces(path, base, modelFolder)) {
      if (Files.isRegularFile(p.resolve("tokenizer.json")) || (Files.isRegularFile(p)
          && p.getFileName().toString().endsWith(".json"))) {
        return p;
      }
    }
    return null;
  }

  /** Where {@link #tokenizer} looks, in order. */
  public static List<Path> tokenizerPlaces(String path, Path base, Path modelFolder) {
    List<Path> places = new ArrayList<>();
    if (modelFolder != null) {
      places.add(modelFolder);
    }
    places.add(base.resolve(path));
    if (HubFiles.looksLikeHubId(path)) {
      places.add(base.resolve(HUB_CACHE).resolve(path.replace("/", "--")));
    }
    return places;
  }

  /** The error for a tokenizer {@link #tokenizer} did not find: where it looked, how to get it, where to put it. */
  public static String missingTokenizer(RunFile.Tokenizer tok, Path base, Path modelFolder) {
    String path = tok.path();
    StringBuilder b = new StringBuilder("tokenizer " + path + " is not available: looked for tokenizer.json in "
        + String.join(", ", tokenizerPlaces(path, base, modelFolder).stream().map(Path::toString).toList()) + ". ");
    if (HubFiles.looksLikeHubId(path)) {
      Path cache = base.resolve(HUB_CACHE).resolve(path.replace("/", "--"));
      b.append("Get the model's files (`huggingface-cli download ").append(path).append(" --local-dir DIR`) and pass"
          + " --base DIR, or put its tokenizer.json and tokenizer_config.json into ").append(cache)
          .append(" (`java -jar lib/target/thinklab.jar preflight RUN` downloads them there when online), or pass"
              + " --set tokenizer.path=DIR.");
    } else {
      b.append("Put tokenizer.json (and tokenizer_config.json) into ").append(base.resolve(path))
          .append(", pass --base with a model folder that holds them, or --set tokenizer.path=DIR.");
    }
    if (tok.fallback() != null) {
      b.append(" Training does not substitute the run file's fallback ").append(tok.fallback())
          .append(" (another model's tokenizer); --allow-fallback uses it, for a demo.");
    }
    return b.toString();
  }

  /** {@code owner/name} of a hub id ({@code hf:owner/name}, or a bare {@code owner/name}); else null. */
  static String hubId(String path) {
    if (path.startsWith("hf:")) {
      return path.substring(3);
    }
    return HubFiles.looksLikeHubId(path) ? path : null;
  }
}
