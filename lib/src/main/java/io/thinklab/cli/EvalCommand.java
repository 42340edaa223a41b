package io.thinklab.cli;

import io.thinklab.data.Dataset;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.eval.EvalResult;
import io.thinklab.eval.Evaluator;
import io.thinklab.generate.GenerationConfig;
import io.thinklab.generate.LoadedModel;
import io.thinklab.generate.Sampling;
import io.thinklab.train.EvalLoss;
import io.thinklab.train.Sequence;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code thinklab eval}: did the model learn to think and stop? Generation on held-out problems, greedy or sampled. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Evaluate a model (or run / adapter) on held-out problems with reference answers: close_rate "
        + "(emits </think> within the budget), finish_rate (solution then EOS), accuracy (final answer matches "
        + "metadata.answer), mean/p95 thinking tokens, stop_rule_fired_rate (the seed's loop rule), eval_loss "
        + "(completion-only training loss on the same rows in the seed's plain format)."})
public final class EvalCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN_OR_MODEL", description = "model folder, run output folder, adapter folder, or a run name (its output in runs/NAME)")
  String source;

  @Option(names = "--adapter", paramLabel = "DIR", description = "a PEFT adapter folder to attach (unmerged)")
  Path adapter;

  @Option(names = "--data", defaultValue = "data/samples/eval-mini.jsonl", description = "held-out rows (default ${DEFAULT-VALUE})")
  String data;

  @Option(names = "--limit", defaultValue = "50", description = "problems to evaluate (default ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--max-new-tokens", defaultValue = "256", description = "budget per problem (default ${DEFAULT-VALUE})")
  int maxNewTokens;

  @Option(names = "--batch-size", defaultValue = "8", description = "prompts generated together (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--temperature", defaultValue = "0",
      description = "0 = greedy (default); sample at this temperature instead (the i-th problem of each batch "
          + "draws from --seed + i). Sample for traces that loop by design (glm-style): greedy repeats the likeliest line forever")
  double temperature;

  @Option(names = "--seed", defaultValue = "42", description = "sampling seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Path dir = LoadedModel.locate(source); // a wrong model name fails before any data is read
    List<Triplet> rows = Dataset.load(data).lenient().minThinkingChars(0).read().triplets();
    rows = rows.subList(0, Math.min(limit, rows.size()));
    PrintWriter out = spec.commandLine().getOut();
    try (LoadedModel lm = LoadedModel.open(dir, adapter)) {
      TrainingFormat format = TrainingFormat.plain(lm.eosToken());
      List<Sequence> seqs = lm.plainSequences(rows);
      double loss = EvalLoss.of(lm.model(), seqs, batchSize);
      Sampling sampling = temperature > 0 ? Sampling.of(temperature, 0, 1.0, seed) : Sampling.greedy();
      GenerationConfig cfg = new GenerationConfig(maxNewTokens, sampling, true, List.of(),
          Set.of(lm.eosId()));
      EvalResult r = Evaluator.of(lm.generator(cfg), format).batchSize(batchSize)
          .run(dir.getFileName().toString(), rows, loss).result();
      if (json) {
        out.println(r.toJson());
      } else {
        r.toMap().forEach((k, v) -> out.printf("%-22s %s%n", k, v));
      }
      out.flush();
      return 0;
    }
  }
}
