package io.thinklab.data;

import java.util.ArrayList;
import java.util.List;

/** Appends segments to a training text and records each one's span. Used by {@link TrainingFormat}s. */
final class TextBuilder {
  private final StringBuilder text = new StringBuilder();
  private final List<Span> spans = new ArrayList<>();

  TextBuilder add(Segment segment, String part) {
    int start = text.length();
    text.append(part);
    spans.add(new Span(segment, start, text.length()));
    return this;
  }

  FormattedExample build(String id) {
    return new FormattedExample(id, text.toString(), spans);
  }
}
