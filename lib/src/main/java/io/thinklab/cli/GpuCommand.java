package io.thinklab.cli;

import io.thinklab.gpu.GpuProbe;
import io.thinklab.gpu.GpuReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code thinklab gpu [--json] [--no-djl]}: the GPU probe. Exits 0 with or without a GPU. */
@Command(name = "gpu", mixinStandardHelpOptions = true,
    description = {"Which CUDA devices the driver lists (name, memory, compute capability) and what DJL's engine sees.",
        "Exits 0 with or without a GPU; without one it says why."})
public final class GpuCommand implements Callable<Integer> {

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @Option(names = "--no-djl", description = "do not load DJL's engine (faster; djl.error says \"not probed\")")
  boolean noDjl;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    GpuReport report = GpuProbe.probe(!noDjl);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(report.toJson().toPrettyString());
    } else {
      out.print(report.toText());
    }
    out.flush();
    return 0;
  }
}
