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
      return LlamaConfig.parse(text(nameOrPath), "/io/thinklab/profiles/" + nameOrPath + ".json");
    }
    if (!Files.exists(Path.of(nameOrPath))) {
      throw new IllegalArgumentException("model '" + nameOrPath + "' is neither a config.json path nor a profile "
          + NAMES);
    }
    return LlamaConfig.read(Path.of(nameOrPath));
  }

  /** The {@code config.json} text of a built-in profile (what a model folder made from it holds). */
  public static String text(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("no profile '" + name + "'; profiles: " + NAMES);
    }
    String res = "/io/thinklab/profiles/" + name + ".json";
    try (InputStream in = ModelProfiles.class.getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + res);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
