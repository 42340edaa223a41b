package io.thinklab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.thinklab.compare.ComparePng;
import io.thinklab.compare.TeacherComparison;
import io.thinklab.compare.TeacherComparison.Comparison;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code thinklab compare}: profile datasets of reasoning traces (one per teacher) and state how they differ.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compare datasets of (problem, thinking, solution) traces: lengths, structure and behaviour "
        + "per 1,000 tokens, loops, answer format and correctness, and the differences in plain words.",
        "Tokens are approximated as characters / 4."})
public final class CompareCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "DATA",
      description = "datasets of triplets: .jsonl, .jsonl.gz, .parquet, a folder of them, or hf:owner/name")
  List<String> data;

  @Option(names = "--json", description = "print one JSON object: the datasets with their figures, and the differences")
  boolean json;

  @Option(names = "--png", paramLabel = "FILE", description = "write the length distributions to this PNG")
  Path png;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Comparison c = TeacherComparison.load(data);
    if (png != null) {
      ComparePng.write(c, png);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(c));
    } else {
      out.print(c.text());
      c.datasets().stream().filter(d -> d.rejected() > 0).forEach(d -> out.println("note: " + d.name() + ": "
          + d.rejected() + " rows rejected by the loader (see `thinklab data stats " + d.source() + "`)"));
      if (png != null) {
        out.println("wrote " + png);
      }
    }
    out.flush();
    return 0;
  }
}
