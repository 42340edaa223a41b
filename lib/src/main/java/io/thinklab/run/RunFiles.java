package io.thinklab.run;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.thinklab.diagnose.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds, reads and validates run files: by built-in name ({@link #BUILT_IN}) or by path, YAML or JSON, with
 * {@code key=value} overrides ({@code train.micro_batch=1}, {@code data.0.max_rows=100}, {@code max_length=8192}).
 *
 * <p>Order: the file is read on its own first, so an unknown or mistyped key is reported with its file and line;
 * then it is laid over {@code defaults.yaml}, the overrides are applied (each must name a known key), and the
 * result is bound to {@link RunFile} and checked for impossible values.
 */
public final class RunFiles {

  /** The run files shipped with ThinkLab, under {@code io/thinklab/runs/}. */
  public static final List<String> BUILT_IN = List.of("nanbeige4-3b-glm12k-seed", "nanbeige4-3b-glm12k-fixed",
      "nanbeige4-3b-opus-seed", "tiny-glm-cpu-truncated", "tiny-glm-cpu-fixed", "tiny-opus-cpu");

  private static final ObjectMapper YAML = mapper(new ObjectMapper(new YAMLFactory()));
  private static final ObjectMapper JSON = mapper(new ObjectMapper());
  private static final Set<String> SCHEDULES = Set.of("constant", "linear", "cosine");
  private static final Set<String> PRECISIONS = Set.of("bf16", "fp16", "fp32");

  private RunFiles() {}

  private static ObjectMapper mapper(ObjectMapper m) {
    return m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  /**
   * A run file by built-in name or path, with overrides applied.
   *
   * @throws IllegalArgumentException naming the file, line and reason for bad input
   */
  public static RunFile resolve(String nameOrPath, List<String> overrides) {
    String text;
    String source;
    if (BUILT_IN.contains(nameOrPath)) {
      source = "built-in " + nameOrPath + ".yaml";
      text = resource("/io/thinklab/runs/" + nameOrPath + ".yaml");
    } else {
      Path p = Path.of(nameOrPath);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("'" + nameOrPath + "' is neither a run file nor a built-in run ("
            + String.join(", ", BUILT_IN) + ")");
      }
      source = p.toString();
      try {
        text = Files.readString(p);
      } catch (IOException e) {
        throw new UncheckedIOException(p + ": cannot read: " + e.getMessage(), e);
      }
    }
    return parse(text, source, overrides);
  }

  /** Parses run file text ({@code source} names it in messages) and applies overrides. */
  public static RunFile parse(String text, String source, List<String> overrides) {
    ObjectMapper m = (source.endsWith(".json") ? JSON : YAML).copy()
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES); // absent keys come from the defaults
    JsonNode user;
    try {
      m.readValue(text, RunFile.class); // alone first: unknown keys and wrong types come with their line
      user = m.readTree(text);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(where(source, lineOf(text, e.getPropertyName(), e.getLocation()))
          + ": unknown key '" + e.getPropertyName()
          + "' in " + pathOf(e) + "; known keys: " + e.getKnownPropertyIds(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where(source, e.getLocation()) + ": " + e.getOriginalMessage(), e);
    }
    if (user == null || !user.isObject()) {
      throw new IllegalArgumentException(source + ": a run file is a mapping of keys (see RunFile)");
    }
    ObjectNode defaults = (ObjectNode) readDefaults();
    ObjectNode merged = merge(defaults.deepCopy(), (ObjectNode) user, defaults);
    for (String o : overrides) {
      applyOverride(merged, defaults, o);
    }
    RunFile run;
    try {
      run = YAML.treeToValue(merged, RunFile.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + " (after --set): " + e.getOriginalMessage(), e);
    }
    validate(run, source);
    return run;
  }

  /** The text of a built-in run file, e.g. to show it in a notebook. */
  public static String builtInText(String name) {
    if (!BUILT_IN.contains(name)) {
      throw new IllegalArgumentException("no built-in run '" + name + "'; built-in: " + BUILT_IN);
    }
    return resource("/io/thinklab/runs/" + name + ".yaml");
  }

  private static JsonNode readDefaults() {
    try {
      return YAML.readTree(resource("/io/thinklab/runs/defaults.yaml"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("defaults.yaml: " + e.getMessage(), e);
    }
  }

  /** Lays {@code user} over {@code base}; each data entry is laid over the default data entry. */
  private static ObjectNode merge(ObjectNode base, ObjectNode user, JsonNode defaults) {
    Iterator<String> names = user.fieldNames();
    while (names.hasNext()) {
      String k = names.next();
      JsonNode u = user.get(k);
      JsonNode b = base.get(k);
      if (k.equals("data") && u.isArray()) {
        ArrayNode list = base.arrayNode();
        for (JsonNode entry : u) {
          JsonNode template = defaults.get("data").get(0).deepCopy();
          list.add(entry.isObject() ? merge((ObjectNode) template, (ObjectNode) entry, template) : entry);
        }
        base.set(k, list);
      } else if (b != null && b.isObject() && u.isObject()) {
        base.set(k, merge((ObjectNode) b, (ObjectNode) u, defaults.path(k)));
      } else {
        base.set(k, u);
      }
    }
    return base;
  }

  /** {@code a.b.c=value}: the value is read as YAML (numbers, booleans, lists); list indices are numbers. */
  static void applyOverride(ObjectNode root, JsonNode defaults, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("--set " + override + ": expected key=value, e.g. train.micro_batch=1");
    }
    String key = override.substring(0, eq).trim();
    JsonNode value;
    try {
      value = YAML.readTree(override.substring(eq + 1));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("--set " + override + ": value is not valid YAML");
    }
    if (value == null || value.isMissingNode()) {
      value = root.nullNode();
    }
    String[] parts = key.split("\\.");
    JsonNode node = root;
    JsonNode schema = defaults;
    for (int i = 0; i < parts.length - 1; i++) {
      node = step(node, parts[i], override);
      schema = node.isArray() || parts[i].matches("\\d+") ? schema.path(parts[i]).path(0) : schema.path(parts[i]);
      if (schema.isMissingNode() && parts[i].matches("\\d+")) {
        schema = defaults.path("data").path(0);
      }
    }
    String last = parts[parts.length - 1];
    if (node.isArray()) {
      int index = index(last, node, override);
      ((ArrayNode) node).set(index, value);
      return;
    }
    JsonNode known = parts.length == 1 ? defaults : schema;
    if (!known.has(last)) {
      List<String> names = new ArrayList<>();
      known.fieldNames().forEachRemaining(names::add);
      throw new IllegalArgumentException("--set " + override + ": unknown key '" + key + "'; known here: " + names);
    }
    ((ObjectNode) node).set(last, value);
  }

  private static JsonNode step(JsonNode node, String part, String override) {
    JsonNode next = node.isArray() ? node.get(index(part, node, override)) : node.get(part);
    if (next == null || !(next.isObject() || next.isArray())) {
      throw new IllegalArgumentException("--set " + override + ": '" + part + "' is not a section of the run file");
    }
    return next;
  }

  private static int index(String part, JsonNode list, String override) {
    if (!part.matches("\\d+") || Integer.parseInt(part) >= list.size()) {
      throw new IllegalArgumentException("--set " + override + ": '" + part + "' is not an index below "
          + list.size());
    }
    return Integer.parseInt(part);
  }

  private static void validate(RunFile r, String source) {
    List<String> bad = new ArrayList<>();
    if (r.data() == null || r.data().isEmpty()) {
      bad.add("data: at least one dataset is needed");
    } else {
      for (RunFile.Data d : r.data()) {
        if (d.path() == null || d.path().isBlank()) {
          bad.add("data: every entry needs a path");
        }
      }
    }
    if (r.maxLength() < 16) {
      bad.add("max_length must be at least 16, was " + r.maxLength());
    }
    try {
      Policy.parse(r.overLong());
    } catch (IllegalArgumentException e) {
      bad.add(e.getMessage());
    }
    if (r.lora().r() < 1 || r.lora().targets() == null || r.lora().targets().isEmpty()) {
      bad.add("lora: r must be at least 1 and targets must name modules");
    }
    if (r.train().microBatch() < 1 || r.train().gradAccum() < 1 || r.train().epochs() < 1) {
      bad.add("train: micro_batch, grad_accum and epochs must be at least 1");
    }
    if (!SCHEDULES.contains(r.train().schedule())) {
      bad.add("train.schedule '" + r.train().schedule() + "' is not one of " + SCHEDULES);
    }
    if (!PRECISIONS.contains(r.train().precision())) {
      bad.add("train.precision '" + r.train().precision() + "' is not one of " + PRECISIONS);
    }
    try {
      DeviceKind.parse(r.device().type());
    } catch (IllegalArgumentException e) {
      bad.add(e.getMessage());
    }
    if (r.device().mfu() < 0 || r.device().mfu() > 1) {
      bad.add("device.mfu must be in [0, 1] (0: the measured Estimates.MEASURED_MFU), was " + r.device().mfu());
    }
    if (r.checks().minKeepShare() < 0 || r.checks().minKeepShare() > 1) {
      bad.add("checks.min_keep_share must be in [0, 1]");
    }
    if (!"plain".equals(r.format().toLowerCase(Locale.ROOT))) {
      bad.add("format '" + r.format() + "': this build knows 'plain' (the data package adds chatml and template)");
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException(source + ": " + String.join("; ", bad));
    }
  }

  private static String where(String source, JsonLocation loc) {
    return where(source, loc == null ? -1 : loc.getLineNr());
  }

  private static String where(String source, int line) {
    return line < 0 ? source : source + ":" + line;
  }

  /** The first line that spells {@code key} as a key (YAML's parser reports the token after it). */
  private static int lineOf(String text, String key, JsonLocation fallback) {
    String[] lines = text.split("\n", -1);
    java.util.regex.Pattern p = java.util.regex.Pattern.compile("^[\\s{,\\-]*\"?" + java.util.regex.Pattern.quote(key)
        + "\"?\\s*:.*");
    for (int i = 0; i < lines.length; i++) {
      if (p.matcher(lines[i]).matches() || lines[i].matches(".*[{,]\\s*\"?" + java.util.regex.Pattern.quote(key)
          + "\"?\\s*:.*")) {
        return i + 1;
      }
    }
    return fallback == null ? -1 : fallback.getLineNr();
  }

  private static String pathOf(UnrecognizedPropertyException e) {
    StringBuilder b = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null && !ref.getFieldName().equals(e.getPropertyName())) {
        b.append(b.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        b.append('[').append(ref.getIndex()).append(']');
      }
    }
    return b.length() == 0 ? "the top level" : "'" + b + "'";
  }

  private static String resource(String name) {
    try (InputStream in = RunFiles.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
