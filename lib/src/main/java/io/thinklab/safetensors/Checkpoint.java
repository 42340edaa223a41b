package io.thinklab.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a model folder: one {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json} (its {@code weight_map} says which shard holds each tensor).
 *
 * <p>Use it to load a Hugging Face checkpoint by tensor name without caring how it was split. Shards are
 * opened (header only) when the checkpoint is opened, so a missing or corrupt shard fails early.
 */
public final class Checkpoint {
  /** The index file Hugging Face writes beside sharded weights. */
  public static final String INDEX = "model.safetensors.index.json";

  private final Path source;
  private final Map<String, SafetensorsFile> byTensor;

  private Checkpoint(Path source, Map<String, SafetensorsFile> byTensor) {
    this.source = source;
    this.byTensor = Collections.unmodifiableMap(byTensor);
  }

  /**
   * Opens a safetensors file, a folder with {@code model.safetensors.index.json} (sharded), or a folder with
   * one {@code model.safetensors}.
   */
  public static Checkpoint open(Path fileOrDir) {
    if (!Files.isDirectory(fileOrDir)) {
      return of(fileOrDir, List.of(SafetensorsFile.open(fileOrDir)));
    }
    Path index = fileOrDir.resolve(INDEX);
    if (Files.exists(index)) {
      return sharded(fileOrDir, index);
    }
    Path single = fileOrDir.resolve("model.safetensors");
    if (Files.exists(single)) {
      return of(single, List.of(SafetensorsFile.open(single)));
    }
    throw new UncheckedIOException(new IOException(fileOrDir + ": no " + INDEX + " and no model.safetensors"));
  }

  private static Checkpoint sharded(Path dir, Path index) {
    JsonNode map;
    try {
      map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
    } catch (IOException e) {
      throw new UncheckedIOException(index + ": cannot read the shard index: " + e.getMessage(), e);
    }
    if (!map.isObject() || map.isEmpty()) {
      throw new IllegalArgumentException(index + ": has no 'weight_map' object");
    }
    Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
    map.fields().forEachRemaining(e -> {
      String shard = e.getValue().asText();
      SafetensorsFile f = shards.computeIfAbsent(shard, s -> SafetensorsFile.open(dir.resolve(s)));
      if (!f.tensors().containsKey(e.getKey())) {
        throw new SafetensorsException(f.path(), "the index says it holds '" + e.getKey() + "' but it does not");
      }
      byTensor.put(e.getKey(), f);
    });
    return new Checkpoint(index, byTensor);
  }

  private static Checkpoint of(Path source, List<SafetensorsFile> files) {
    Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
    for (SafetensorsFile f : files) {
      f.names().forEach(n -> byTensor.put(n, f));
    }
    return new Checkpoint(source, byTensor);
  }

  /** The file or index this checkpoint was opened from. */
  public Path source() {
    return source;
  }

  /** All tensor names. */
  public List<String> names() {
    return List.copyOf(byTensor.keySet());
  }

  public boolean contains(String name) {
    return byTensor.containsKey(name);
  }

  /** The header entry of one tensor. */
  public TensorInfo info(String name) {
    return file(name).info(name);
  }

  /** Loads one tensor as {@code target}; see {@link SafetensorsFile#load}. */
  public NDArray load(String name, NDManager manager, DataType target) {
    return file(name).load(name, manager, target);
  }

  private SafetensorsFile file(String name) {
    SafetensorsFile f = byTensor.get(name);
    if (f == null) {
      throw new IllegalArgumentException(source + ": checkpoint has no tensor '" + name + "'");
    }
    return f;
  }
}
