package io.thinklab.data;

import java.util.Locale;

/**
 * Why a row was not turned into a {@link Triplet}. The {@link #label()} names are part of the CLI's
 * {@code --json} contract ({@code data stats}), so other tools can count rejects by reason.
 */
public enum RejectReason {
  /** The line is not valid JSON, or not a JSON object. */
  BAD_JSON,
  /** A required field (problem, thinking or solution, or the chat turn that holds it) is absent or null. */
  MISSING_FIELD,
  /** The problem or the solution is blank after stripping white space. */
  EMPTY_FIELD,
  /** The thinking is shorter than the minimum (the seed's filter: 20 characters). */
  SHORT_THINKING,
  /** The line's bytes are not valid UTF-8. */
  INVALID_UTF8,
  /** The row's id was already seen earlier in the dataset. */
  DUPLICATE_ID;

  /** The name used in reports and JSON, e.g. {@code short_thinking}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return label();
  }
}
