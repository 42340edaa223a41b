package io.thinklab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code thinklab} command line: one subcommand per lifecycle stage.
 *
 * <p>Run {@code java -jar lib/target/thinklab.jar --help} for the list. Every subcommand that reports
 * numbers also has {@code --json}, printing one JSON object other tools can rely on.
 */
@Command(name = "thinklab", mixinStandardHelpOptions = true, version = "ThinkLab 0.1.0",
    description = "Teach a base model to think: data, truncation diagnosis, LoRA SFT, evaluation.",
    subcommands = {
        CommandLine.HelpCommand.class,
        DataCommand.class,
        FormatCommand.class,
        GpuCommand.class,
        CurvesCommand.class,
        CompareCommand.class,
        SampleCommand.class,
        DiagnoseCommand.class,
        PreflightCommand.class,
        BenchCommand.class,
        PretrainCommand.class,
        TrainCommand.class,
        GenerateCommand.class,
        EvalCommand.class,
        AblationCommand.class,
    })
public final class ThinkLab implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line with ThinkLab's error handling: bad input prints one clear line, exit 2. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ThinkLab());
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      // qualified, so a nested command reads "thinklab data stats: …"
      cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
      if (System.getenv("THINKLAB_DEBUG") != null) {
        ex.printStackTrace(cmd.getErr());
      }
      return 2;
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
