package io.thinklab.preflight;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one preflight check: a verdict, a one-line summary, detail lines and, when it does not pass, the
 * fixes to apply (each with the {@code --set} overrides that apply it).
 *
 * @param name    data, tokenizer, truncation, plan, size, memory or time
 * @param verdict PASS, WARN or FAIL
 * @param summary the verdict line's text
 * @param details further lines
 * @param fixes   what to change, when not PASS
 */
public record Check(String name, Verdict verdict, String summary, List<String> details, List<String> fixes) {

  /** A check's outcome; the run's verdict is the worst of its checks. */
  public enum Verdict { PASS, WARN, FAIL }

  public Check {
    details = List.copyOf(details);
    fixes = List.copyOf(fixes);
  }

  static Check pass(String name, String summary, List<String> details) {
    return new Check(name, Verdict.PASS, summary, details, List.of());
  }

  /** The verdict line: {@code FAIL  truncation  21.3 % of examples keep …}. */
  public String line() {
    return String.format("%-4s  %-10s  %s", verdict, name, summary);
  }

  /** JSON-ready map. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("verdict", verdict.name());
    m.put("summary", summary);
    m.put("details", details);
    m.put("fixes", fixes);
    return m;
  }
}
