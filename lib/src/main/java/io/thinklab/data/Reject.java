package io.thinklab.data;

import java.util.Objects;

/**
 * One row that a load refused, with enough context to find and fix it.
 *
 * @param file    the file the row came from
 * @param line    the 1-based line of a JSONL file, or the 1-based row number of a Parquet file
 * @param reason  why it was refused
 * @param message a human-readable explanation naming the field or the problem
 */
public record Reject(String file, long line, RejectReason reason, String message) {

  public Reject {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line: reason: message}, the form used in exceptions and logs. */
  @Override
  public String toString() {
    return file + ":" + line + ": " + reason.label() + ": " + message;
  }
}
