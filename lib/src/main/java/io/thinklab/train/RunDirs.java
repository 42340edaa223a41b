package io.thinklab.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * Output folders of training runs. A trainer refuses a folder that holds checkpoints (so a real run is never
 * overwritten by accident); code that reruns the same small experiment on purpose (an ablation arm, a notebook's
 * run) clears its folder first with {@link #clearEarlierRun}.
 */
public final class RunDirs {
  private RunDirs() {}

  /**
   * Deletes an earlier run in {@code dir}: a folder holding {@code metrics.jsonl} or {@code checkpoints/}. A
   * missing or empty folder is left alone; any other non-empty folder is refused, never deleted.
   *
   * @throws IllegalArgumentException when {@code dir} holds something that is not a run
   */
  public static void clearEarlierRun(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        return;
      }
      boolean ours = Files.exists(dir.resolve("metrics.jsonl")) || Files.exists(dir.resolve("checkpoints"));
      try (var list = Files.list(dir)) {
        if (!ours && list.findAny().isPresent()) {
          throw new IllegalArgumentException(dir + " is not empty and holds no earlier run: choose another folder");
        }
      }
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
    }
  }
}
