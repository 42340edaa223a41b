package io.thinklab.data;

/**
 * A half-open character range {@code [start, end)} of a formatted text that holds one {@link Segment}.
 *
 * @param segment which part of the example this is
 * @param start   first character (inclusive)
 * @param end     last character (exclusive)
 */
public record Span(Segment segment, int start, int end) {
  public Span {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad span " + segment + " [" + start + ", " + end + ")");
    }
  }

  /** The characters of {@code text} this span covers. */
  public String of(String text) {
    return text.substring(start, end);
  }

  public int length() {
    return end - start;
  }
}
