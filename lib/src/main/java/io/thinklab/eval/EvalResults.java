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

  /** One row per figure, one column per model; an interval gives two rows ({@code _low}, {@code _high}). */
  public Table table() {
    List<String> keys = new java.util.ArrayList<>();
    for (Map.Entry<String, Object> e : results.get(0).toMap().entrySet()) {
      if (e.getValue() instanceof List<?>) {
        keys.add(e.getKey() + "_low");
        keys.add(e.getKey() + "_high");
      } else {
        keys.add(e.getKey());
      }
    }
    Table t = Table.create("evaluation");
    t.addColumns(StringColumn.create("metric", keys));
    for (EvalResult r : results) {
      Map<String, Object> m = r.toMap();
      t.addColumns(DoubleColumn.create(r.name(), keys.stream().mapToDouble(k -> figure(m, k))));
    }
    return t;
  }

  private static double figure(Map<String, Object> m, String key) {
    Object v = m.containsKey(key) ? m.get(key)
        : key.endsWith("_low") ? ((List<?>) m.get(key.substring(0, key.length() - 4))).get(0)
        : ((List<?>) m.get(key.substring(0, key.length() - 5))).get(1);
    return v == null ? Double.NaN : ((Number) v).doubleValue();
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
