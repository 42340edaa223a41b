package io.thinklab.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one raw row of one file into a {@link Triplet} or a {@link Reject}: decodes the JSON, applies the field
 * mapping (given, or detected from {@link FieldMapping#KNOWN}), reads chat rows, and applies the filter.
 * Duplicate ids are checked by {@link Dataset}, across files.
 */
final class RowConverter {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Exactly one of the two is set. */
  record Outcome(Triplet triplet, Reject reject) {}

  private record Fields(String problem, String thinking, String solution, Map<String, Object> extra) {}

  private final FieldMapping explicit;
  private final int minThinkingChars;
  private final String stem;
  private FieldMapping detected;
  private long detectedAt;

  RowConverter(FieldMapping explicit, int minThinkingChars, String stem) {
    this.explicit = explicit;
    this.minThinkingChars = minThinkingChars;
    this.stem = stem;
  }

  /** The mapping this file was read with, as reports show it. */
  String mappingUsed() {
    if (explicit != null) {
      return explicit.describe() + ", given";
    }
    return detected == null ? "none (no row matched a known mapping)" : detected.describe() + ", detected";
  }

  Outcome convert(RawRow row) {
    if (row.utf8Error() != null) {
      return reject(row, RejectReason.INVALID_UTF8, row.utf8Error());
    }
    JsonNode node;
    try {
      node = JSON.readTree(row.text());
    } catch (JsonProcessingException e) {
      return reject(row, RejectReason.BAD_JSON, "not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      return reject(row, RejectReason.BAD_JSON, "expected a JSON object, found "
          + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
    }
    FieldMapping m = mappingFor(row, node);
    if (m == null) {
      return reject(row, RejectReason.MISSING_FIELD, "no known field set; expected one of " + known());
    }
    Object fields = m.isMessages() ? fromMessages(node) : fromFields(node, m);
    if (fields instanceof String missing) {
      return reject(row, RejectReason.MISSING_FIELD, missing + " (mapping " + m.describe() + ")");
    }
    Fields f = (Fields) fields;
    if (f.problem.isBlank()) {
      return reject(row, RejectReason.EMPTY_FIELD, (m.isMessages() ? "the user turn" : "'" + m.problem() + "'")
          + " (problem) is empty");
    }
    if (f.solution.isBlank()) {
      return reject(row, RejectReason.EMPTY_FIELD, (m.isMessages() ? "the assistant answer" : "'" + m.solution() + "'")
          + " (solution) is empty");
    }
    String thinking = f.thinking.strip();
    int chars = thinking.codePointCount(0, thinking.length());
    if (chars < minThinkingChars) {
      return reject(row, RejectReason.SHORT_THINKING,
          "thinking has " + chars + " characters, fewer than the minimum " + minThinkingChars);
    }
    JsonNode idNode = node.get("id");
    String id = idNode != null && idNode.isValueNode() && !idNode.isNull() && !idNode.asText().isBlank()
        ? idNode.asText() : stem + ":" + row.line();
    return new Outcome(new Triplet(id, f.problem, f.thinking, f.solution, row.file() + ":" + row.line(), f.extra),
        null);
  }

  /** The given mapping, else the one this row matches; throws when a row matches two (ambiguous). */
  private FieldMapping mappingFor(RawRow row, JsonNode node) {
    if (explicit != null) {
      return explicit;
    }
    List<FieldMapping> full = new ArrayList<>();
    FieldMapping best = null;
    int bestCount = 0;
    boolean tie = false;
    for (FieldMapping m : FieldMapping.KNOWN) {
      int present = 0;
      for (String f : m.fields()) {
        present += node.has(f) ? 1 : 0;
      }
      if (present == m.fields().size()) {
        full.add(m);
      }
      if (present > bestCount) {
        best = m;
        bestCount = present;
        tie = false;
      } else if (present == bestCount && present > 0) {
        tie = true;
      }
    }
    if (full.size() > 1) {
      throw new IllegalArgumentException(row.file() + ":" + row.line() + ": ambiguous row: it has the fields of "
          + full.get(0).describe() + " and of " + full.get(1).describe()
          + "; choose one explicitly (Dataset.mapping(...) or --fields)");
    }
    if (full.size() == 1) {
      FieldMapping m = full.get(0);
      if (detected == null) {
        detected = m;
        detectedAt = row.line();
      } else if (!detected.equals(m)) {
        throw new IllegalArgumentException(row.file() + ":" + row.line() + ": row uses " + m.describe()
            + " but line " + detectedAt + " used " + detected.describe()
            + "; mixed field names in one file: choose one explicitly (Dataset.mapping(...) or --fields)");
      }
      return m;
    }
    if (detected != null) {
      return detected;
    }
    // No full match yet: name the closest mapping only to report what is missing; nothing is read with it.
    return bestCount >= 2 && !tie ? best : null;
  }

  private static Object fromFields(JsonNode node, FieldMapping m) {
    List<String> missing = new ArrayList<>();
    String[] values = new String[3];
    List<String> names = m.fields();
    for (int i = 0; i < 3; i++) {
      JsonNode v = node.get(names.get(i));
      if (v == null || v.isNull()) {
        missing.add("'" + names.get(i) + "'");
      } else if (v.isContainerNode()) {
        missing.add("'" + names.get(i) + "' (is " + v.getNodeType().toString().toLowerCase() + ", not text)");
      } else {
        values[i] = v.asText();
      }
    }
    if (!missing.isEmpty()) {
      return "missing field " + String.join(", ", missing);
    }
    return new Fields(values[0], values[1], values[2], extra(node, names));
  }

  /** Reads the last assistant turn and the last user turn before it; returns a String when something is missing. */
  private static Object fromMessages(JsonNode node) {
    JsonNode msgs = node.get("messages");
    if (msgs == null || !msgs.isArray()) {
      return "missing field 'messages' (absent or not a list)";
    }
    int assistant = -1;
    for (int i = msgs.size() - 1; i >= 0 && assistant < 0; i--) {
      assistant = "assistant".equals(msgs.get(i).path("role").asText()) ? i : -1;
    }
    if (assistant < 0) {
      return "missing field: no assistant turn in 'messages'";
    }
    int user = -1;
    for (int i = assistant - 1; i >= 0 && user < 0; i--) {
      user = "user".equals(msgs.get(i).path("role").asText()) ? i : -1;
    }
    if (user < 0) {
      return "missing field: no user turn before the last assistant turn";
    }
    JsonNode problem = msgs.get(user).get("content");
    JsonNode content = msgs.get(assistant).get("content");
    if (problem == null || !problem.isTextual()) {
      return "missing field: the user turn has no text 'content'";
    }
    if (content == null || !content.isTextual()) {
      return "missing field: the assistant turn has no text 'content'";
    }
    Map<String, Object> extra = extra(node, List.of("messages"));
    for (JsonNode m : msgs) {
      if ("system".equals(m.path("role").asText()) && m.path("content").isTextual()) {
        extra.put("system", m.get("content").asText());
      }
    }
    JsonNode reasoning = msgs.get(assistant).get("reasoning_content");
    String text = content.asText();
    if (reasoning != null && reasoning.isTextual()) {
      return new Fields(problem.asText(), reasoning.asText(), text, extra);
    }
    int open = text.indexOf("<think>");
    int close = text.indexOf("</think>");
    if (open >= 0 && close < open) {
      return "missing field: the assistant content opens <think> but never closes it with </think>";
    }
    if (close < 0) {
      return "missing field: the assistant turn has neither 'reasoning_content' nor a <think>…</think> block";
    }
    String thinking = text.substring(open < 0 ? 0 : open + "<think>".length(), close);
    return new Fields(problem.asText(), thinking, text.substring(close + "</think>".length()), extra);
  }

  /** Every other top-level field, for {@link Triplet#metadata()}; nulls are left out. */
  private static Map<String, Object> extra(JsonNode node, List<String> used) {
    Map<String, Object> out = new HashMap<>();
    node.fields().forEachRemaining(e -> {
      if (!e.getValue().isNull() && !used.contains(e.getKey()) && !"id".equals(e.getKey())) {
        out.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
      }
    });
    return out;
  }

  private static Outcome reject(RawRow row, RejectReason reason, String message) {
    return new Outcome(null, new Reject(row.file(), row.line(), reason, message));
  }

  private static String known() {
    List<String> d = new ArrayList<>();
    FieldMapping.KNOWN.forEach(m -> d.add(m.describe()));
    return String.join(", ", d);
  }
}
