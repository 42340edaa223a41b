package io.thinklab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.thinklab.preflight.Preflight;
import io.thinklab.preflight.PreflightReport;
import io.thinklab.run.RunFile;
import io.thinklab.run.RunFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code thinklab preflight}: check a run file before renting a GPU; exit 1 when a check FAILs. */
@Command(name = "preflight", mixinStandardHelpOptions = true,
    description = {"Check a run before renting a GPU: data, tokenizer, truncation, plan, size, memory, time and cost.",
        "Exit 0 on PASS/WARN, 1 on FAIL, 2 on bad input."})
final class PreflightCommand implements Callable<Integer> {

  @Parameters(arity = "1", description = "run file (YAML or JSON) or built-in name: ${COMPLETION-CANDIDATES}",
      completionCandidates = BuiltIns.class)
  String run;

  @Option(names = "--set", description = "override a key, e.g. --set max_length=8192 --set train.micro_batch=1")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Override
  public Integer call() throws Exception {
    RunFile file = RunFiles.resolve(run, overrides);
    PreflightReport r = Preflight.check(file);
    if (json) {
      System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r.toJson()));
    } else {
      System.out.print(r.text());
    }
    return r.exitCode();
  }

  /** The built-in run names, for help. */
  static final class BuiltIns extends ArrayList<String> {
    BuiltIns() {
      super(RunFiles.BUILT_IN);
    }
  }
}
