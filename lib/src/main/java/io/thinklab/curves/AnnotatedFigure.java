package io.thinklab.curves;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.Trace;

/**
 * A Tablesaw Plotly {@link Figure} with vertical marker lines and text notes placed inside the axes.
 *
 * <p>Tablesaw 0.44's {@code Layout} has no {@code shapes} or {@code annotations}, so this figure writes them
 * into the Plotly layout when it is rendered. Use it like any Figure (notebook display, {@code Plot.show}).
 * Lines span the plot's full height at an x value of the data; notes sit at data coordinates, anchored so
 * their text stays inside the plotting area.
 */
public final class AnnotatedFigure extends Figure {

  /** A dashed vertical line at {@code x} with an optional label at its top. */
  public record VLine(double x, String label, String color) {}

  /**
   * A text note pointing at data coordinates. With {@code anchor} "left" the text sits right of and below the
   * point (for a curve's start, its highest point); with "right", left of and above it (for its end). Notes
   * of several runs at about the same point take rows 0, 1, 2, ... so their texts do not overlap.
   */
  public record Note(double x, double y, String text, String anchor, int row) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<VLine> lines;
  private final List<Note> notes;

  /** A figure with the given layout, marker lines, notes and traces. */
  public AnnotatedFigure(Layout layout, List<VLine> lines, List<Note> notes, Trace... traces) {
    super(layout, traces);
    this.lines = List.copyOf(lines);
    this.notes = List.copyOf(notes);
  }

  /** The vertical marker lines (epoch boundaries in loss charts). */
  public List<VLine> lines() {
    return lines;
  }

  /** The notes placed inside the axes. */
  public List<Note> notes() {
    return notes;
  }

  /**
   * Tablesaw's script with {@code shapes} and {@code annotations} written into the {@code layout} literal itself,
   * so readers that take the figure apart as data (the ThinkLab kernel's Plotly JSON) see them too.
   */
  @Override
  public String asJavascript(String divName) {
    String js = super.asJavascript(divName);
    int at = js.indexOf(LAYOUT_START);
    if (at < 0 || (lines.isEmpty() && notes.isEmpty())) {
      return js;
    }
    int insert = at + LAYOUT_START.length();
    return js.substring(0, insert) + System.lineSeparator() + layoutEntries() + js.substring(insert);
  }

  private static final String LAYOUT_START = "var layout = {";

  /** The {@code shapes} and {@code annotations} entries of the Plotly layout, each ending in a comma. */
  String layoutEntries() {
    List<Map<String, Object>> shapes = new ArrayList<>();
    List<Map<String, Object>> annotations = new ArrayList<>();
    for (VLine l : lines) {
      shapes.add(map("type", "line", "xref", "x", "yref", "paper", "x0", l.x(), "x1", l.x(), "y0", 0, "y1", 1,
          "line", map("color", l.color(), "width", 1, "dash", "dash")));
      if (l.label() != null && !l.label().isEmpty()) {
        annotations.add(map("x", l.x(), "xref", "x", "y", 0.98, "yref", "paper", "text", l.label(),
            "showarrow", false, "xanchor", "left", "yanchor", "top", "font", map("size", 10, "color", l.color())));
      }
    }
    for (Note n : notes) {
      annotations.add(map("x", n.x(), "xref", "x", "y", n.y(), "yref", "y", "text", n.text(), "showarrow", true,
          "arrowhead", 0, "ax", "right".equals(n.anchor()) ? -30 : 30,
          "ay", ("right".equals(n.anchor()) ? -1 : 1) * (25 + 18 * n.row()), "xanchor", n.anchor(),
          "bgcolor", "rgba(255,255,255,0.8)", "font", map("size", 11)));
    }
    try {
      return "    shapes: " + JSON.writeValueAsString(shapes) + "," + System.lineSeparator()
          + "    annotations: " + JSON.writeValueAsString(annotations) + ",";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
