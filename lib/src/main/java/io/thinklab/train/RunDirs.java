package io.thinklab.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Output folders of training runs, the one place that deletes them. A trainer refuses a folder that holds
 * checkpoints (so a real run is never overwritten by accident); code that reruns the same small experiment on
 * purpose (an ablation arm, a notebook's run, the tiny base's pre-training) clears its folder first with
 * {@link #clearEarlierRun} or {@link #clearEarlier}, which delete only what a run of theirs left.
 */
public final class RunDirs {
  private RunDirs() {}

  /**
   * Deletes an earlier training run in {@code dir}: a folder holding {@code metrics.jsonl} or {@code checkpoints/}.
   * A missing or empty folder is left alone; any other non-empty folder is refused, never deleted.
   *
   * @throws IllegalArgumentException when {@code dir} holds something that is not a run
   */
  public static void clearEarlierRun(Path dir) {
    clearEarlier(dir, "run", "metrics.jsonl", "checkpoints");
  }

  /**
   * Deletes {@code dir} when it holds one of {@code marks} (the files an earlier {@code what} leaves, e.g.
   * {@code pretrain.json}); a missing or empty folder is left alone; any other non-empty folder is refused.
   *
   * @throws IllegalArgumentException when {@code dir} is not empty and holds none of {@code marks}
   */
  public static void clearEarlier(Path dir, String what, String... marks) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    boolean ours = Stream.of(marks).anyMatch(m -> Files.exists(dir.resolve(m)));
    try (Stream<Path> list = Files.list(dir)) {
      if (!ours && list.findAny().isPresent()) {
        throw new IllegalArgumentException(dir + " is not empty and holds no earlier " + what
            + ": choose another folder");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
    }
    delete(dir);
  }

  /** Deletes {@code dir} and everything in it, without a question (a missing folder is left alone). */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot delete: " + e.getMessage(), e);
    }
  }
}
