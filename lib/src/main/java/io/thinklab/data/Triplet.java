package io.thinklab.data;

import java.util.Map;
import java.util.Objects;

/**
 * One training example of thinking SFT: a problem, the teacher's reasoning trace and the final solution.
 *
 * <p>The seed experiment distilled such triplets from a stronger model (Claude Opus 4.6, GLM-5) and taught a
 * base model to write {@code <think>thinking</think>solution} after the problem. {@code source} names where the
 * row came from (file and line, or dataset id), {@code metadata} keeps every other field of the raw row
 * (for the lab's synthetic data: the verifiable answer, the problem kind, the teacher style).
 *
 * @param id       a stable identifier, unique within a dataset
 * @param problem  the user's question, as the prompt shows it
 * @param thinking the reasoning trace that goes between {@code <think>} and {@code </think>}
 * @param solution the answer written after {@code </think>}
 * @param source   where the row came from, for error messages and reports
 * @param metadata free extra fields (never null; may be empty)
 */
public record Triplet(String id, String problem, String thinking, String solution, String source,
                      Map<String, Object> metadata) {

  public Triplet {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(thinking, "thinking");
    Objects.requireNonNull(solution, "solution");
    source = source == null ? "" : source;
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A triplet with no source and no metadata, handy in tests and notebooks. */
  public static Triplet of(String id, String problem, String thinking, String solution) {
    return new Triplet(id, problem, thinking, solution, "", Map.of());
  }
}
