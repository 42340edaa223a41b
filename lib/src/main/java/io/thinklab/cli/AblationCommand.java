package io.thinklab.cli;

import io.thinklab.eval.TruncationAblation;
import io.thinklab.generate.Sampling;
import io.thinklab.eval.TruncationAblation.Outcome;
import io.thinklab.lora.LoraConfig;
import io.thinklab.preflight.RunFiles;
import io.thinklab.train.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code thinklab ablation truncation}: the seed's truncation mistake and its fix, trained and evaluated side by side. */
@Command(name = "ablation", mixinStandardHelpOptions = true,
    description = {"ablation truncation: train two LoRA adapters on the same base, data and settings; 'truncated' "
        + "cuts sequences at the cutoff that loses </think> in --cut-share of the rows (the seed lost 78.8 %%), "
        + "'fixed' the preflight's fix; by default the max_length, LoRA and training settings of the run files "
        + "tiny-glm-cpu-truncated (428, truncate) and tiny-glm-cpu-dropped (428, over-long rows dropped; "
        + "tiny-glm-cpu-fixed raises the cutoff to 2048 instead, slower). Both are evaluated as `thinklab eval` does.",
        "The base is the lab's pre-trained tiny base (build/tiny-base, made by `thinklab pretrain` when missing) "
            + "unless --base names another."})
public final class AblationCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "WHICH", description = "truncation")
  String which;

  @Option(names = "--base", paramLabel = "DIR",
      description = "the base model folder (with tokenizer.json); default: the tiny base, pre-trained when missing")
  Path base;

  @Option(names = "--train", defaultValue = "data/samples/glm-mini.jsonl.gz", description = "training rows (default ${DEFAULT-VALUE})")
  Path train;

  @Option(names = "--eval", defaultValue = "data/samples/eval-mini.jsonl", description = "held-out rows (default ${DEFAULT-VALUE})")
  Path eval;

  @Option(names = "--train-rows", defaultValue = "320", description = "default ${DEFAULT-VALUE}")
  int trainRows;

  @Option(names = "--eval-rows", defaultValue = "24", description = "default ${DEFAULT-VALUE}")
  int evalRows;

  @Option(names = "--run-files", defaultValue = "tiny-glm-cpu-truncated,tiny-glm-cpu-dropped", paramLabel = "A,B",
      description = "the two run files (built-in names or paths) whose max_length, lora and train settings the arms use"
          + " (default ${DEFAULT-VALUE}); 'none' computes the cutoffs from --cut-share and uses the options below")
  String runFiles;

  @Option(names = "--cut-share", defaultValue = "0.79", description = "with --run-files none (default ${DEFAULT-VALUE})")
  double cutShare;

  @Option(names = "--steps", defaultValue = "0", description = "optimizer steps per arm (0 = all epochs)")
  int steps;

  @Option(names = "--epochs", defaultValue = "2", description = "with --run-files none (default ${DEFAULT-VALUE})")
  int epochs;

  @Option(names = "--lr", defaultValue = "1e-3", description = "with --run-files none (default ${DEFAULT-VALUE})")
  double lr;

  @Option(names = "--rank", defaultValue = "8", description = "with --run-files none: LoRA r (alpha = 2r; q,k,v,o)")
  int rank;

  @Option(names = "--max-new-tokens", defaultValue = "512", description = "evaluation budget (default ${DEFAULT-VALUE})")
  int maxNewTokens;

  @Option(names = "--temperature", defaultValue = "1.0",
      description = "evaluation sampling temperature, 0 = greedy (default ${DEFAULT-VALUE}: greedy decoding loops on "
          + "glm-style traces; each problem draws from seed + i)")
  double temperature;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--out", defaultValue = "runs/ablation-truncation", description = "default ${DEFAULT-VALUE}")
  Path out;

  @Option(names = "--png", paramLabel = "FILE", description = "also draw both arms' close/finish/accuracy as a PNG")
  Path png;

  @Option(names = "--json", description = "print {\"truncated\": {…}, \"fixed\": {…}}")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!which.equals("truncation")) {
      throw new IllegalArgumentException("unknown ablation '" + which + "' (known: truncation)");
    }
    if (base == null) {
      base = io.thinklab.train.Pretrain.tinyBase();
    }
    TruncationAblation.Settings settings;
    if (runFiles.equals("none")) {
      TrainConfig tc = new TrainConfig(4, 2, epochs, steps, lr, "cosine", 0.05, 0.0, 1.0, "fp32", seed, 0, 1, false);
      LoraConfig lc = new LoraConfig(rank, 2.0 * rank, 0.0, List.of("q_proj", "k_proj", "v_proj", "o_proj"), false,
          base.toString());
      settings = new TruncationAblation.Settings(base, train, eval, trainRows, evalRows, cutShare, null,
          maxNewTokens, tc, lc, out, false, Sampling.of(temperature, 0, 1.0, seed));
    } else {
      String[] names = runFiles.split(",");
      if (names.length != 2) {
        throw new IllegalArgumentException("--run-files needs two names, truncated,fixed: " + runFiles);
      }
      settings = TruncationAblation.Settings.fromRunFiles(RunFiles.resolve(names[0].trim(), List.of()),
          RunFiles.resolve(names[1].trim(), List.of()), base, train, eval, trainRows, evalRows, maxNewTokens, seed,
          out).withMaxSteps(steps).withSampling(temperature > 0 ? Sampling.of(temperature, 0, 1.0, seed)
          : Sampling.greedy());
    }
    PrintWriter err = spec.commandLine().getErr();
    Outcome o = TruncationAblation.run(settings, line -> {  // progress on stderr: --json keeps stdout clean
      err.println("[ablation] " + line);
      err.flush();
    });
    if (png != null) {
      io.thinklab.eval.EvalPng.write(o.results(), String.format("Truncated at %d vs fixed (%s): %d held-out problems",
          o.truncated().cutoff(), o.fixed().policy().equals("drop") ? "over-long rows dropped"
              : "max_length " + o.fixed().cutoff(), o.truncated().eval().problems()), png, 800, 420);
      err.println("[ablation] wrote " + png);
    }
    PrintWriter w = spec.commandLine().getOut();
    w.println(json ? o.toJson() : o.results().table().print());
    w.flush();
    return 0;
  }
}
