package io.thinklab.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.safetensors.SafetensorsFile;
import io.thinklab.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Training checkpoints: {@code <out>/checkpoints/step-000040/} holding the trainable parameters
 * ({@code params.safetensors}), the optimizer moments ({@code optimizer.safetensors}) and the loop's
 * counters ({@code state.json}). Written atomically: into a temporary folder, then renamed, so a run killed
 * mid-write leaves the previous checkpoint as the latest complete one.
 */
public final class Checkpoints {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Checkpoints() {}

  /**
   * The loop's counters at a checkpoint.
   *
   * @param step       optimizer steps done
   * @param lossScale  the fp16 loss scale (1 in fp32)
   * @param goodSteps  finite steps since the loss scale last changed
   * @param elapsedS   training seconds so far
   * @param seed       the run's seed (a resume with another seed is refused)
   */
  public record State(int step, double lossScale, int goodSteps, double elapsedS, long seed) {}

  /** A loaded checkpoint: counters, parameters and optimizer moments by name. */
  public record Loaded(Path dir, State state, Map<String, float[]> params, Map<String, float[]> optimizer) {}

  static Path root(Path out) {
    return out.resolve("checkpoints");
  }

  /** Writes one checkpoint and deletes all but the newest {@code keep}. */
  public static Path write(Path out, State state, Map<String, NDArray> params, Map<String, NDArray> optimizer,
                           int keep) {
    Path root = root(out);
    Path dir = root.resolve(String.format("step-%06d", state.step()));
    Path tmp = root.resolve(".tmp-" + dir.getFileName());
    try {
      RunDirs.delete(tmp);
      Files.createDirectories(tmp);
      SafetensorsWriter.write(tmp.resolve("params.safetensors"), params, Map.of("format", "pt"));
      SafetensorsWriter.write(tmp.resolve("optimizer.safetensors"), optimizer, Map.of("format", "pt"));
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve("state.json").toFile(), state);
      RunDirs.delete(dir);
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      List<Path> all = list(root);
      for (int i = 0; i < all.size() - keep; i++) {
        RunDirs.delete(all.get(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot write checkpoint: " + e.getMessage(), e);
    }
    return dir;
  }

  /** Complete checkpoints, oldest first. */
  public static List<Path> list(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.getFileName().toString().startsWith("step-") && Files.exists(p.resolve("state.json")))
          .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    }
  }

  /** The newest complete checkpoint under {@code out}, or null when there is none. */
  public static Loaded latest(Path out) {
    try {
      List<Path> all = list(root(out));
      if (all.isEmpty()) {
        return null;
      }
      Path dir = all.get(all.size() - 1);
      State state = JSON.readValue(dir.resolve("state.json").toFile(), State.class);
      return new Loaded(dir, state, floats(dir.resolve("params.safetensors")),
          floats(dir.resolve("optimizer.safetensors")));
    } catch (IOException e) {
      throw new UncheckedIOException(out + ": cannot read checkpoint: " + e.getMessage(), e);
    }
  }

  private static Map<String, float[]> floats(Path file) {
    SafetensorsFile f = SafetensorsFile.open(file);
    Map<String, float[]> m = new LinkedHashMap<>();
    for (String name : f.names()) {
      if (f.info(name).dtype() != io.thinklab.safetensors.Dtype.F32) {
        throw new IllegalArgumentException(file + ": '" + name + "' is not F32");
      }
      ByteBuffer b = f.bytes(name).order(ByteOrder.LITTLE_ENDIAN);
      float[] v = new float[b.remaining() / 4];
      b.asFloatBuffer().get(v);
      m.put(name, v);
    }
    return m;
  }
}
