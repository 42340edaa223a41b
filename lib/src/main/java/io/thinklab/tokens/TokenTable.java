package io.thinklab.tokens;

import io.thinklab.data.FormattedExample;
import io.thinklab.data.Segment;
import io.thinklab.data.Span;
import java.util.List;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Tables that make a formatted example visible, for notebooks: its character spans by segment, and its tokens
 * with the segment each falls in and whether the loss trains on it.
 */
public final class TokenTable {

  private TokenTable() {}

  /** One row per segment: name, character range, whether it is trained, and the text (newlines shown as ⏎). */
  public static Table spans(FormattedExample e) {
    Table t = Table.create("spans of " + e.id(), StringColumn.create("segment"), IntColumn.create("start"),
        IntColumn.create("end"), BooleanColumn.create("trained"), StringColumn.create("text"));
    for (Span s : e.spans()) {
      t.stringColumn(0).append(s.segment().name());
      t.intColumn(1).append(s.start());
      t.intColumn(2).append(s.end());
      t.booleanColumn(3).append(s.segment().inCompletion());
      t.stringColumn(4).append(visible(s.of(e.text())));
    }
    return t;
  }

  /**
   * One row per token of the full sequence (with the tokenizer's special tokens): index, id, token, the segment
   * holding its first character ({@code ADDED} for tokens the post-processor adds, such as BOS), and whether the
   * completion-only loss trains on it.
   */
  public static Table tokens(Tokenizer tok, FormattedExample e) {
    List<Tokenizer.Token> tokens = tok.encodeDetailed(e.text(), true);
    Table t = Table.create("tokens of " + e.id(), IntColumn.create("index"), IntColumn.create("id"),
        StringColumn.create("token"), StringColumn.create("segment"), BooleanColumn.create("trained"));
    for (int i = 0; i < tokens.size(); i++) {
      Tokenizer.Token k = tokens.get(i);
      Segment seg = k.start() < 0 ? null : segmentAt(e, k.start());
      t.intColumn(0).append(i);
      t.intColumn(1).append(k.id());
      t.stringColumn(2).append(visible(k.text()));
      t.stringColumn(3).append(seg == null ? "ADDED" : seg.name());
      t.booleanColumn(4).append(seg != null && seg.inCompletion());
    }
    return t;
  }

  private static Segment segmentAt(FormattedExample e, int charIndex) {
    for (Span s : e.spans()) {
      if (s.start() <= charIndex && charIndex < s.end()) {
        return s.segment();
      }
    }
    return null;
  }

  /** Newlines as ⏎ so a row stays on one line. */
  static String visible(String s) {
    return s.replace("\n", "⏎");
  }
}
