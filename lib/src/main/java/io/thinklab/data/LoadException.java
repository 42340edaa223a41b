package io.thinklab.data;

/**
 * Thrown by a {@link Dataset} load in strict mode at the first bad row; its message names the file, the
 * line and the reason, e.g. {@code data/x.jsonl:3: bad_json: Unexpected character…}.
 */
public final class LoadException extends RuntimeException {
  private final transient Reject reject;

  public LoadException(Reject reject) {
    super(reject.toString());
    this.reject = reject;
  }

  /** The row that failed the load. */
  public Reject reject() {
    return reject;
  }
}
