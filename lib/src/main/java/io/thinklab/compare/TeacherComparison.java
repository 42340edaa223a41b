package io.thinklab.compare;

import io.thinklab.data.Dataset;
import io.thinklab.data.LoadResult;
import io.thinklab.data.Triplet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * Compares N datasets of reasoning traces (two teachers, usually): profiles each, then states the notable
 * differences in plain words.
 *
 * <p>A difference is notable when, across the datasets, the highest value of an amount (a length or a rate
 * per 1,000 tokens) is at least {@value #FACTOR}× the lowest, or when shares of rows (boxed answers,
 * accuracy, ...) are at least {@value #POINTS} apart (10 percentage points). Token counts come from the given
 * counter; {@link Tokens#CHARS_OVER_4} by default.
 *
 * <pre>{@code
 * Comparison c = TeacherComparison.load(List.of("data/samples/opus-mini.jsonl", "data/samples/glm-mini.jsonl.gz"));
 * System.out.println(c.table().print());
 * c.differences().forEach(d -> System.out.println(d.sentence()));
 * }</pre>
 */
public final class TeacherComparison {
  private TeacherComparison() {}

  /** Amounts differ notably from this ratio of highest to lowest. */
  public static final double FACTOR = 1.25;
  /** Shares differ notably from this many points (0.10 = 10 percentage points). */
  public static final double POINTS = 0.10;

  /** The result: one profile per dataset and the notable differences. */
  public record Comparison(String tokenCounter, List<DatasetProfile> datasets, List<Difference> differences) {

    /** The summary table: one row per figure, one column per dataset. */
    public Table table() {
      Table t = Table.create("teacher comparison");
      t.addColumns(StringColumn.create("figure", METRICS.stream().map(Metric::label).toList()));
      for (DatasetProfile p : datasets) {
        DoubleColumn col = DoubleColumn.create(p.name(), METRICS.stream().mapToDouble(m -> m.value().applyAsDouble(p)));
        col.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(2)); // printing only: values keep full precision
        t.addColumns(col);
      }
      return t;
    }

    /** The table and the differences as text, as {@code thinklab compare} prints them. */
    public String text() {
      StringBuilder sb = new StringBuilder(table().printAll()).append("\n\n");
      sb.append("Tokens counted as ").append(tokenCounter).append(".\n");
      if (differences.isEmpty()) {
        sb.append("No notable differences.\n");
      }
      differences.forEach(d -> sb.append("- ").append(d.sentence()).append('\n'));
      return sb.toString();
    }
  }

  record Metric(String key, String label, String unit, boolean share, boolean notable,
                ToDoubleFunction<DatasetProfile> value) {}

  static final List<Metric> METRICS = List.of(
      new Metric("rows", "rows", "", false, false, p -> p.rows()),
      new Metric("rejected", "rows rejected by the loader", "", false, false, p -> p.rejected()),
      new Metric("thinkingTokens.median", "median thinking length", "tokens", false, true, p -> p.thinkingTokens().median()),
      new Metric("thinkingTokens.p90", "p90 thinking length", "tokens", false, false, p -> p.thinkingTokens().p90()),
      new Metric("solutionTokens.median", "median solution length", "tokens", false, true, p -> p.solutionTokens().median()),
      new Metric("solutionTokens.p90", "p90 solution length", "tokens", false, false, p -> p.solutionTokens().p90()),
      new Metric("ratio.median", "median thinking/solution ratio", "", false, true, p -> p.ratio().median()),
      new Metric("numberedStepsPer1k", "numbered steps per 1k tokens", "", false, true, DatasetProfile::numberedStepsPer1k),
      new Metric("headersPer1k", "headers per 1k tokens", "", false, true, DatasetProfile::headersPer1k),
      new Metric("bulletsPer1k", "bullets per 1k tokens", "", false, true, DatasetProfile::bulletsPer1k),
      new Metric("equationsPer1k", "equation lines per 1k tokens", "", false, true, DatasetProfile::equationsPer1k),
      new Metric("selfCorrectionsPer1k", "self-corrections per 1k thinking tokens", "", false, true,
          DatasetProfile::selfCorrectionsPer1k),
      new Metric("verificationsPer1k", "verifications per 1k thinking tokens", "", false, true,
          DatasetProfile::verificationsPer1k),
      new Metric("hedgesPer1k", "hedges per 1k thinking tokens", "", false, true, DatasetProfile::hedgesPer1k),
      new Metric("repeatedNgramRate", "repeated 8-gram rate", "", true, false, DatasetProfile::repeatedNgramRate),
      new Metric("loopingShare", "share of looping traces", "", true, true, DatasetProfile::loopingShare),
      new Metric("boxedShare", "share with a boxed answer", "", true, true, DatasetProfile::boxedShare),
      new Metric("answerLineShare", "share with an 'Answer:' line", "", true, true, DatasetProfile::answerLineShare),
      new Metric("extractedShare", "share with an extractable final answer", "", true, true,
          DatasetProfile::extractedShare),
      new Metric("accuracy", "share of final answers correct", "", true, true,
          p -> p.accuracy() == null ? Double.NaN : p.accuracy()));

  /** Compares named datasets (insertion order), tokens counted as characters ÷ 4. */
  public static Comparison of(Map<String, List<Triplet>> datasets) {
    return of(datasets, Tokens.CHARS_OVER_4, "characters ÷ 4 (approximate)");
  }

  /** Compares named datasets with a token counter, described in words for the report. */
  public static Comparison of(Map<String, List<Triplet>> datasets, ToIntFunction<String> tokens,
                              String counterName) {
    List<DatasetProfile> profiles = new ArrayList<>();
    datasets.forEach((name, rows) -> profiles.add(DatasetProfile.of(name, "", rows, tokens)));
    return new Comparison(counterName, profiles, differences(profiles));
  }

  /**
   * Loads datasets with {@link Dataset} (JSONL, gzipped JSONL, Parquet, a folder, or {@code hf:owner/name})
   * and compares them; each is named after its file. Every row the loader accepts is profiled, with no
   * minimum thinking length: a comparison looks at the data as given. Rejected rows are counted in
   * {@link DatasetProfile#rejected()}.
   */
  public static Comparison load(List<String> pathsOrHubIds) {
    return load(pathsOrHubIds, Tokens.CHARS_OVER_4, "characters ÷ 4 (approximate)");
  }

  /** Loads datasets and compares them with a token counter, described in words for the report. */
  public static Comparison load(List<String> pathsOrHubIds, ToIntFunction<String> tokens, String counterName) {
    List<DatasetProfile> profiles = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (String s : pathsOrHubIds) {
      LoadResult data = Dataset.load(s).lenient().minThinkingChars(0).read();
      String name = name(s);
      int k = seen.merge(name, 1, Integer::sum);
      profiles.add(DatasetProfile.of(k == 1 ? name : name + "#" + k, s, data.triplets(), data.rejected(), tokens));
    }
    return new Comparison(counterName, profiles, differences(profiles));
  }

  /** {@link #load(List)} for paths. */
  public static Comparison ofFiles(List<Path> files) {
    return load(files.stream().map(Path::toString).toList());
  }

  /** A dataset's label: the file or folder name without {@code .jsonl}, {@code .gz}, {@code .parquet}. */
  static String name(String pathOrHubId) {
    String last = pathOrHubId.replaceAll("/+$", "");
    last = last.substring(last.lastIndexOf('/') + 1);
    return last.replaceFirst("\\.gz$", "").replaceFirst("\\.(jsonl?|parquet)$", "");
  }

  /** The notable differences among profiles, by the rule in the class comment, in table order. */
  public static List<Difference> differences(List<DatasetProfile> profiles) {
    List<Difference> out = new ArrayList<>();
    if (profiles.size() < 2) {
      return out;
    }
    for (Metric m : METRICS) {
      if (!m.notable()) {
        continue;
      }
      DatasetProfile hi = null;
      DatasetProfile lo = null;
      for (DatasetProfile p : profiles) {
        double v = m.value().applyAsDouble(p);
        if (!Double.isFinite(v)) {
          continue;
        }
        if (hi == null || v > m.value().applyAsDouble(hi)) {
          hi = p;
        }
        if (lo == null || v < m.value().applyAsDouble(lo)) {
          lo = p;
        }
      }
      if (hi == null || hi == lo) {
        continue;
      }
      double h = m.value().applyAsDouble(hi);
      double l = m.value().applyAsDouble(lo);
      if (m.share()) {
        if (h - l >= POINTS - 1e-12) {
          out.add(new Difference(m.key(), m.label(), hi.name(), h, lo.name(), l, Double.NaN, fmt(
              "%s: %s %.0f %%, %s %.0f %% (%.0f points apart).", cap(m.label()), hi.name(), 100 * h, lo.name(),
              100 * l, 100 * (h - l))));
        }
      } else if (l > 0 ? h / l >= FACTOR : h > 0) {
        String unit = m.unit().isEmpty() ? "" : " " + m.unit();
        String sentence = l > 0
            ? fmt("%s's %s is %.1f× %s's (%s vs %s%s).", hi.name(), m.label(), h / l, lo.name(), num(h, h),
                num(l, h), unit)
            : fmt("%s's %s is %s%s; %s has none.", hi.name(), m.label(), num(h, h), unit, lo.name());
        out.add(new Difference(m.key(), m.label(), hi.name(), h, lo.name(), l, l > 0 ? h / l : Double.POSITIVE_INFINITY,
            sentence));
      }
    }
    return out;
  }

  /** The keys of the summary table's rows, in order (as in {@link Difference#metric()}). */
  public static List<String> metricKeys() {
    return METRICS.stream().map(Metric::key).collect(Collectors.toList());
  }

  /** {@code v} with the decimals that suit {@code scale}: none from 100, one from 10, else two. */
  private static String num(double v, double scale) {
    double a = Math.abs(scale);
    return a >= 100 ? fmt("%.0f", v) : a >= 10 ? fmt("%.1f", v) : fmt("%.2f", v);
  }

  private static String cap(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
