package io.thinklab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code thinklab data …}: look at a dataset before training on it. */
@Command(name = "data", description = "Inspect datasets of (problem, thinking, solution) triplets.",
    subcommands = {DataStatsCommand.class})
final class DataCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
