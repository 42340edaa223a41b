package io.thinklab.run;

import io.thinklab.model.LlamaConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Built-in model shapes, so a run can be checked without downloading a checkpoint: {@code nanbeige4-3b-base}
 * (the seed's base model, 3.93 B parameters) and {@code tiny-thinker} (the lab's 2.8 M-parameter CPU model).
 * Each is a {@code config.json} under {@code io/thinklab/profiles/}.
 */
public final class ModelProfiles {

  /** The profile names. */
  public static final List<String> NAMES = List.of("nanbeige4-3b-base", "tiny-thinker");

  private ModelProfiles() {}

  /** A profile by name, or a {@code config.json} (file or folder) by path. */
  public static LlamaConfig resolve(String nameOrPath) {
    if (NAMES.contains(nameOrPath)) {
      String res = "/io/thinklab/profiles/" + nameOrPath + ".json";
      try (InputStream in = ModelProfiles.class.getResourceAsStream(res)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + res);
        }
        return LlamaConfig.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), res);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (!Files.exists(Path.of(nameOrPath))) {
      throw new IllegalArgumentException("model '" + nameOrPath + "' is neither a config.json path nor a profile "
          + NAMES);
    }
    return LlamaConfig.read(Path.of(nameOrPath));
  }
}
