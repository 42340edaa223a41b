package io.thinklab.preflight;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every check of one run file and the run's verdict (the worst of its checks).
 *
 * @param run     the run's name
 * @param notes   how the run was resolved (fallbacks used, tokenizer, data files)
 * @param checks  the checks in order
 * @param numbers the headline figures, for {@code --json} and notebooks
 */
public record PreflightReport(String run, List<String> notes, List<Check> checks, Map<String, Object> numbers) {

  public PreflightReport {
    notes = List.copyOf(notes);
    checks = List.copyOf(checks);
    numbers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
  }

  /** The worst verdict. */
  public Check.Verdict verdict() {
    Check.Verdict worst = Check.Verdict.PASS;
    for (Check c : checks) {
      if (c.verdict().compareTo(worst) > 0) {
        worst = c.verdict();
      }
    }
    return worst;
  }

  /** 1 when any check FAILs, else 0. */
  public int exitCode() {
    return verdict() == Check.Verdict.FAIL ? 1 : 0;
  }

  /** A check by name, or null. */
  public Check check(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  /** Names of the failing checks. */
  public List<String> failing() {
    return checks.stream().filter(c -> c.verdict() == Check.Verdict.FAIL).map(Check::name).toList();
  }

  /** The printed report: notes, one verdict line per check with its details and fixes, the final verdict. */
  public String text() {
    StringBuilder b = new StringBuilder("preflight ").append(run).append('\n');
    for (String n : notes) {
      b.append("  note: ").append(n).append('\n');
    }
    for (Check c : checks) {
      b.append(c.line()).append('\n');
      for (String d : c.details()) {
        b.append("      ").append(d).append('\n');
      }
      for (String f : c.fixes()) {
        b.append("      fix: ").append(f).append('\n');
      }
    }
    b.append("verdict: ").append(verdict());
    if (!failing().isEmpty()) {
      b.append(" (").append(String.join(", ", failing())).append(')');
    }
    return b.append('\n').toString();
  }

  /** JSON-ready map. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run", run);
    m.put("verdict", verdict().name());
    m.put("failing", failing());
    m.put("notes", notes);
    m.put("checks", checks.stream().map(Check::toMap).toList());
    m.put("numbers", numbers);
    return m;
  }
}
