package io.thinklab.course;

import ai.djl.engine.Engine;
import io.thinklab.preflight.Preflight;
import io.thinklab.train.LabSeed;
import io.thinklab.train.RunDirs;
import java.nio.file.Path;

/**
 * The notebooks' shared set-up: one static import gives every notebook the same self-check, paths and
 * environment line, instead of boilerplate repeated in each.
 *
 * <pre>{@code
 * import static io.thinklab.course.Lab.*;     // in the first cell, with the other imports
 * setup("03-lora-sft");                        // prints versions and where the lab lives
 * check("loss fell", last < first, "train more steps");
 * }</pre>
 */
public final class Lab {
  private Lab() {}

  /**
   * A self-check: prints ✔ and the statement, or stops the cell with what failed and what to do. Why not Java's
   * {@code assert}: it is off unless the JVM runs with {@code -ea}, so it would pass silently.
   *
   * @throws IllegalStateException {@code CHECK FAILED: what} with the hint
   */
  public static void check(String what, boolean ok, String hint) {
    if (!ok) {
      throw new IllegalStateException("CHECK FAILED: " + what + "\n  what to do: " + hint);
    }
    System.out.println("\u2714 " + what);
  }

  /** The checkout's root (the folder holding {@code environment/lab}), wherever the notebook runs from. */
  public static Path root() {
    return Preflight.root();
  }

  /** A path inside the checkout: {@code path("data/samples/opus-mini.jsonl")}. */
  public static Path path(String relative) {
    return root().resolve(relative);
  }

  /**
   * An empty output folder for a notebook's run, {@code relative} to the checkout: what was there from an earlier
   * run of the notebook is deleted first (a trainer refuses a folder that holds checkpoints, so that a real run is
   * never overwritten by accident). Only folders under {@code build/} or {@code runs/} are cleared.
   */
  public static Path freshDir(String relative) {
    Path dir = path(relative).normalize();
    if (!dir.startsWith(root().resolve("build")) && !dir.startsWith(root().resolve("runs"))) {
      throw new IllegalArgumentException(relative + ": a notebook's output folder must be under build/ or runs/");
    }
    RunDirs.delete(dir);
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(dir + ": cannot clear: " + e.getMessage(), e);
    }
    return dir;
  }

  /**
   * Prints the notebook's environment in one line (Java, ThinkLab, the engine and its threads, the checkout),
   * so an executed notebook records where its numbers came from.
   */
  public static void setup(String notebook) {
    String engine;
    try {
      Engine e = Engine.getInstance();
      engine = e.getEngineName() + " " + e.getVersion() + " on " + e.defaultDevice();
    } catch (RuntimeException | Error e) {
      engine = "no engine (" + e.getMessage() + ")";
    }
    String omp = System.getenv("OMP_NUM_THREADS");
    System.out.printf("%s · Java %s · ThinkLab %s · %s%s · %d CPU cores · seed %d%s · %s%n", notebook,
        Runtime.version(), version(), engine, omp == null ? "" : " (OMP_NUM_THREADS=" + omp + ")",
        Runtime.getRuntime().availableProcessors(), seed(),
        System.getenv(LabSeed.ENV) == null ? "" : " (" + LabSeed.ENV + ")", root());
  }

  /**
   * The lab's seed: 42, or the environment variable {@code THINKLAB_SEED} ({@link LabSeed}). Notebooks seed
   * their adapters, data order and sampling with it, and {@code Pretrain.tinyBase()} picks the base of that seed,
   * so {@code THINKLAB_SEED=43 environment/lab run} re-runs the whole course with another seed.
   */
  public static long seed() {
    return LabSeed.get();
  }

  /** ThinkLab's version from its jar manifest, or "dev" when run from classes. */
  public static String version() {
    String v = Lab.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
