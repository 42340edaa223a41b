package io.thinklab.cli;

import io.thinklab.generate.Generation;
import io.thinklab.generate.GenerationConfig;
import io.thinklab.generate.LoadedModel;
import io.thinklab.generate.Sampling;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code thinklab generate}: stream a completion from a model (with an adapter) and say why it stopped. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Generate from a model folder or a training run's output (base + its adapter), streaming the "
        + "tokens, then report the stop reason: eos, max_new_tokens, think_loop (the seed's rule: a second "
        + "</think> or <think> after </think>) or stop_string.",
        "The prompt is used as given; for a thinking model end it with 'Assistant: <think>\\n' (the seed's format)."})
public final class GenerateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN_OR_MODEL", description = "model folder, run output folder, adapter folder, or a run name (its output in runs/NAME)")
  String source;

  @Option(names = "--adapter", paramLabel = "DIR", description = "a PEFT adapter folder to attach (unmerged)")
  Path adapter;

  @Option(names = "--prompt", required = true, description = "the prompt text")
  String prompt;

  @Option(names = "--max-new-tokens", defaultValue = "256", description = "token budget (default ${DEFAULT-VALUE})")
  int maxNewTokens;

  @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default); > 0 samples")
  double temperature;

  @Option(names = "--top-k", defaultValue = "0", description = "keep the k most likely tokens (0 = all)")
  int topK;

  @Option(names = "--top-p", defaultValue = "1", description = "nucleus mass (1 = all)")
  double topP;

  @Option(names = "--seed", defaultValue = "0", description = "sampling seed")
  long seed;

  @Option(names = "--stop", description = "a stop string (repeatable)")
  List<String> stops = List.of();

  @Option(names = "--no-think-stop", description = "turn the seed's </think> loop rule off")
  boolean noThinkStop;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (LoadedModel lm = LoadedModel.open(LoadedModel.locate(source), adapter)) {
      GenerationConfig cfg = new GenerationConfig(maxNewTokens, Sampling.of(temperature, topK, topP, seed),
          !noThinkStop, stops, Set.of(lm.eosId()));
      Generation g = lm.generator(cfg).generate(prompt, (s, id, text) -> {
        out.print(text);
        out.flush();
      });
      out.println();
      out.printf("[stop: %s after %d tokens%s]%n", g.reason().key(), g.newTokens(),
          g.closed() ? ", </think> at token " + g.thinkCloseToken() : ", </think> never emitted");
      out.flush();
      return 0;
    }
  }
}
