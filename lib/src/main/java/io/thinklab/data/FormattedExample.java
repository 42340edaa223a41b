package io.thinklab.data;

import java.util.List;

/**
 * A triplet rendered into its exact training text, with the character span of every segment.
 *
 * <p>{@code prompt()} and {@code completion()} split the text where the loss mask starts, as TRL's
 * prompt/completion datasets do. The spans cover the text without gaps, in {@link Segment} order.
 *
 * @param id    the triplet's id
 * @param text  the full training text (prompt + completion, EOS text included)
 * @param spans one span per segment present, in order
 */
public record FormattedExample(String id, String text, List<Span> spans) {

  public FormattedExample {
    spans = List.copyOf(spans);
  }

  /** The span of one segment, or throws when the format has no such segment. */
  public Span span(Segment segment) {
    for (Span s : spans) {
      if (s.segment() == segment) {
        return s;
      }
    }
    throw new IllegalArgumentException("no " + segment + " span in example " + id);
  }

  /** The text of one segment. */
  public String segmentText(Segment segment) {
    return span(segment).of(text);
  }

  /** The masked part: everything before the completion. */
  public String prompt() {
    return text.substring(0, completionStart());
  }

  /** The trained part: from the assistant turn to the end of sequence. */
  public String completion() {
    return text.substring(completionStart());
  }

  private int completionStart() {
    return span(Segment.PROMPT).end();
  }
}
