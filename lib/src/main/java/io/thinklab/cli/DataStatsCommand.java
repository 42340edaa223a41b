package io.thinklab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thinklab.data.LengthStats;
import io.thinklab.data.LoadResult;
import io.thinklab.data.Reject;
import io.thinklab.data.RejectReason;
import io.thinklab.data.TextLengths;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code thinklab data stats <file>}: rows read, accepted and rejected, rejects by reason, and character-length
 * statistics of problem, thinking and solution. {@code --json} prints one JSON object (a stable contract).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Row counts, rejects by reason and character-length statistics of a dataset (lenient by default).")
final class DataStatsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Text mode lists this many rejects; {@code --json} lists all. */
  static final int SHOWN_REJECTS = 20;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "A .jsonl, .jsonl.gz or .parquet file, a folder, or hf:owner/name.")
  String file;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Mixin
  LoadOptions load = new LoadOptions();

  @Override
  public Integer call() throws Exception {
    LoadResult r = load.dataset(file).read();
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? JSON.writeValueAsString(toJson(r)) + "\n" : text(r));
    out.flush();
    return 0;
  }

  /** The {@code --json} object: counts, every reason (zeros included), every reject, length stats. */
  static ObjectNode toJson(LoadResult r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("source", r.source());
    o.put("mapping", r.mapping());
    o.put("rows_read", r.rowsRead());
    o.put("accepted", r.accepted());
    o.put("rejected", r.rejected());
    ObjectNode by = o.putObject("rejects_by_reason");
    r.byReason().forEach((k, v) -> by.put(k.label(), v));
    ArrayNode list = o.putArray("rejects");
    for (Reject j : r.rejects()) {
      list.addObject().put("file", j.file()).put("line", j.line()).put("reason", j.reason().label())
          .put("message", j.message());
    }
    ObjectNode lengths = o.putObject("char_lengths");
    TextLengths t = r.lengths();
    for (Map.Entry<String, LengthStats> e : Map.of("problem", t.problem(), "thinking", t.thinking(),
        "solution", t.solution()).entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      LengthStats s = e.getValue();
      lengths.putObject(e.getKey()).put("count", s.count()).put("min", s.min())
          .put("mean", Math.round(s.mean() * 10) / 10.0).put("p50", s.p50()).put("p95", s.p95()).put("max", s.max());
    }
    return o;
  }

  static String text(LoadResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.source()).append("  (mapping: ").append(r.mapping()).append(")\n");
    sb.append(String.format(Locale.ROOT, "rows read  %8d%naccepted   %8d%nrejected   %8d%n",
        r.rowsRead(), r.accepted(), r.rejected()));
    sb.append("rejects by reason:\n");
    for (Map.Entry<RejectReason, Integer> e : r.byReason().entrySet()) {
      sb.append(String.format(Locale.ROOT, "  %-15s %6d%n", e.getKey().label(), e.getValue()));
    }
    int shown = Math.min(r.rejected(), SHOWN_REJECTS);
    for (Reject j : r.rejects().subList(0, shown)) {
      sb.append("  ").append(j).append('\n');
    }
    if (shown < r.rejected()) {
      sb.append("  … and ").append(r.rejected() - shown).append(" more (--json lists them all)\n");
    }
    sb.append(String.format(Locale.ROOT, "characters  %7s %7s %9s %7s %7s %7s%n",
        "count", "min", "mean", "p50", "p95", "max"));
    TextLengths t = r.lengths();
    row(sb, "problem", t.problem());
    row(sb, "thinking", t.thinking());
    row(sb, "solution", t.solution());
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, LengthStats s) {
    sb.append(String.format(Locale.ROOT, "%-10s  %7d %7d %9.1f %7d %7d %7d%n",
        name, s.count(), s.min(), s.mean(), s.p50(), s.p95(), s.max()));
  }
}
