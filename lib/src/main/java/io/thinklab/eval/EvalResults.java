package io.thinklab.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Several evaluations side by side (base vs adapters): a Tablesaw table with one column per model, JSON keyed
 * by name, and HTML that the notebook kernel renders.
 */
public record EvalResults(List<EvalResult> results) {

  public EvalResults {
    results = List.copyOf(results);
  }

  public static EvalResults of(EvalResult... results) {
    return new EvalResults(List.of(results));
  }

  /** One row per figure, one column per model. */
  public Table table() {
    List<String> keys = List.copyOf(results.get(0).toMap().keySet());
    Table t = Table.create("evaluation");
    t.addColumns(StringColumn.create("metric", keys));
    for (EvalResult r : results) {
      Map<String, Object> m = r.toMap();
      t.addColumns(DoubleColumn.create(r.name(),
          keys.stream().mapToDouble(k -> m.get(k) == null ? Double.NaN : ((Number) m.get(k)).doubleValue())));
    }
    return t;
  }

  /** {@code {"name": {…figures…}, …}}. */
  public String toJson() {
    Map<String, Object> all = new LinkedHashMap<>();
    results.forEach(r -> all.put(r.name(), r.toMap()));
    try {
      return new ObjectMapper().writeValueAsString(all);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The table as an HTML table, for notebooks. */
  public String toHtml() {
    Table t = table();
    StringBuilder sb = new StringBuilder("<table><tr>");
    t.columnNames().forEach(c -> sb.append("<th>").append(escape(c)).append("</th>"));
    sb.append("</tr>");
    for (int i = 0; i < t.rowCount(); i++) {
      sb.append("<tr>");
      for (int c = 0; c < t.columnCount(); c++) {
        sb.append("<td>").append(escape(t.column(c).getString(i))).append("</td>");
      }
      sb.append("</tr>");
    }
    return sb.append("</table>").toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public String toString() {
    return table().print();
  }
}
