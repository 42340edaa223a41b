package io.thinklab.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which field of a raw row holds the problem, the thinking and the solution.
 *
 * <p>Datasets name these fields differently. A load either uses the mapping you give
 * ({@link Dataset#mapping(FieldMapping)}, CLI {@code --fields}) or detects one from this fixed alias table,
 * and always reports which mapping it used ({@link LoadResult#mapping()}):
 * <table>
 *   <caption>known mappings</caption>
 *   <tr><th>name</th><th>problem</th><th>thinking</th><th>solution</th></tr>
 *   <tr><td>seed</td><td>problem</td><td>thinking</td><td>solution</td></tr>
 *   <tr><td>qa</td><td>question</td><td>reasoning</td><td>answer</td></tr>
 *   <tr><td>prompt</td><td>prompt</td><td>cot</td><td>response</td></tr>
 *   <tr><td>instruction</td><td>instruction</td><td>reasoning</td><td>output</td></tr>
 *   <tr><td>input</td><td>input</td><td>thinking</td><td>output</td></tr>
 *   <tr><td>messages</td><td colspan="3">a {@code messages} list of {@code role}/{@code content} turns; the
 *       thinking is the assistant's {@code reasoning_content} or its inline {@code <think>…</think>}</td></tr>
 * </table>
 * A row matches a mapping when it has all three of its fields ({@code messages} for the chat form). A row that
 * matches two mappings is ambiguous: the load stops with an error asking for an explicit mapping rather than
 * guess.
 *
 * @param name     short name shown in reports ({@code seed}, {@code qa}, … or {@code custom})
 * @param problem  field holding the problem
 * @param thinking field holding the reasoning trace
 * @param solution field holding the final answer
 */
public record FieldMapping(String name, String problem, String thinking, String solution) {

  /** The seed's own field names. */
  public static final FieldMapping SEED = new FieldMapping("seed", "problem", "thinking", "solution");
  /** Chat rows: a {@code messages} list with a user and an assistant turn. */
  public static final FieldMapping MESSAGES = new FieldMapping("messages", "messages", "messages", "messages");

  /** The fixed alias table that detection tries, in this order; documented above. */
  public static final List<FieldMapping> KNOWN = List.of(
      SEED,
      new FieldMapping("qa", "question", "reasoning", "answer"),
      new FieldMapping("prompt", "prompt", "cot", "response"),
      new FieldMapping("instruction", "instruction", "reasoning", "output"),
      new FieldMapping("input", "input", "thinking", "output"),
      MESSAGES);

  public FieldMapping {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(thinking, "thinking");
    Objects.requireNonNull(solution, "solution");
  }

  /** A custom mapping, e.g. {@code FieldMapping.of("instruction", "rationale", "output")}. */
  public static FieldMapping of(String problem, String thinking, String solution) {
    return new FieldMapping("custom", problem, thinking, solution);
  }

  /**
   * Parses the CLI form: a known name ({@code qa}) or {@code problem=instruction,thinking=rationale,solution=output}.
   */
  public static FieldMapping parse(String spec) {
    for (FieldMapping m : KNOWN) {
      if (m.name.equals(spec.strip())) {
        return m;
      }
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String pair : spec.split(",")) {
      String[] kv = pair.split("=", 2);
      if (kv.length != 2 || kv[1].isBlank()) {
        throw new IllegalArgumentException("bad field mapping '" + spec + "': expected a known name "
            + names() + " or problem=FIELD,thinking=FIELD,solution=FIELD");
      }
      parts.put(kv[0].strip(), kv[1].strip());
    }
    if (!parts.keySet().equals(java.util.Set.of("problem", "thinking", "solution"))) {
      throw new IllegalArgumentException("bad field mapping '" + spec + "': give exactly problem=, thinking= and solution=");
    }
    return of(parts.get("problem"), parts.get("thinking"), parts.get("solution"));
  }

  /** True for the chat form. */
  public boolean isMessages() {
    return equals(MESSAGES);
  }

  /** The three field names in order problem, thinking, solution. */
  public List<String> fields() {
    return isMessages() ? List.of("messages") : List.of(problem, thinking, solution);
  }

  /** E.g. {@code qa (question/reasoning/answer)}. */
  public String describe() {
    return isMessages() ? "messages (role/content turns)" : name + " (" + problem + "/" + thinking + "/" + solution + ")";
  }

  private static List<String> names() {
    List<String> out = new ArrayList<>();
    KNOWN.forEach(m -> out.add(m.name));
    return out;
  }
}
