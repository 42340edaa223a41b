package io.thinklab.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One ablation run with several seeds: each seed's rates per arm and their spread (lowest, mean, highest).
 * A result that holds for one seed may be luck; one that holds for five is a result. Use it to state expected
 * numbers as ranges ({@code thinklab ablation truncation --seeds 42,43,44,45,46}).
 */
public final class SeedSweep {
  /** The rates a sweep reports, by their JSON keys. */
  public static final Map<String, ToDoubleFunction<EvalResult>> RATES = rates();

  private final List<Long> seeds = new ArrayList<>();
  private final List<Map<String, EvalResult>> runs = new ArrayList<>();

  private static Map<String, ToDoubleFunction<EvalResult>> rates() {
    Map<String, ToDoubleFunction<EvalResult>> m = new LinkedHashMap<>();
    m.put("close_rate", EvalResult::closeRate);
    m.put("finish_rate", EvalResult::finishRate);
    m.put("accuracy", EvalResult::accuracy);
    return m;
  }

  /** Adds one seed's arms (arm name → its evaluation), in the order the arms should print. */
  public SeedSweep add(long seed, Map<String, EvalResult> arms) {
    seeds.add(seed);
    runs.add(new LinkedHashMap<>(arms));
    return this;
  }

  public List<Long> seeds() {
    return List.copyOf(seeds);
  }

  /** The lowest and highest value of {@code rate} ({@link #RATES}) for {@code arm} over the seeds. */
  public double[] range(String arm, String rate) {
    double[] v = runs.stream().mapToDouble(r -> RATES.get(rate).applyAsDouble(r.get(arm))).toArray();
    return new double[] {java.util.Arrays.stream(v).min().orElse(Double.NaN),
        java.util.Arrays.stream(v).max().orElse(Double.NaN)};
  }

  /** {@code {"seeds": [{"seed": 42, "<arm>": {…}, …}, …], "spread": {"<arm>": {"close_rate": {min, mean, max}}}}}. */
  public String toJson() {
    List<Map<String, Object>> per = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seed", seeds.get(i));
      runs.get(i).forEach((arm, r) -> m.put(arm, r.toMap()));
      per.add(m);
    }
    Map<String, Object> spread = new LinkedHashMap<>();
    for (String arm : runs.get(0).keySet()) {
      Map<String, Object> a = new LinkedHashMap<>();
      for (String rate : RATES.keySet()) {
        double[] v = runs.stream().mapToDouble(r -> RATES.get(rate).applyAsDouble(r.get(arm))).toArray();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("min", round(java.util.Arrays.stream(v).min().orElseThrow()));
        s.put("mean", round(java.util.Arrays.stream(v).average().orElseThrow()));
        s.put("max", round(java.util.Arrays.stream(v).max().orElseThrow()));
        a.put(rate, s);
      }
      spread.put(arm, a);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seeds", per);
    out.put("spread", spread);
    return AblationArm.json(out);
  }

  /** A text table: a line per seed with each arm's close / finish / accuracy, then the range of each column. */
  public String table() {
    List<String> arms = List.copyOf(runs.get(0).keySet());
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-6s", "seed"));
    for (String arm : arms) {
      b.append(String.format(Locale.ROOT, " | %-24s", arm + " close/finish/acc"));
    }
    b.append('\n');
    for (int i = 0; i < seeds.size(); i++) {
      b.append(String.format(Locale.ROOT, "%-6d", seeds.get(i)));
      for (String arm : arms) {
        EvalResult r = runs.get(i).get(arm);
        b.append(String.format(Locale.ROOT, " | %5.1f %% %5.1f %% %5.1f %%  ", 100 * r.closeRate(),
            100 * r.finishRate(), 100 * r.accuracy()));
      }
      b.append('\n');
    }
    b.append(String.format(Locale.ROOT, "%-6s", "range"));
    for (String arm : arms) {
      StringBuilder cell = new StringBuilder();
      for (String rate : RATES.keySet()) {
        double[] r = range(arm, rate);
        cell.append(String.format(Locale.ROOT, "%.0f–%.0f ", 100 * r[0], 100 * r[1]));
      }
      b.append(String.format(Locale.ROOT, " | %-24s", cell.toString().strip()));
    }
    return b.append('\n').toString();
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
