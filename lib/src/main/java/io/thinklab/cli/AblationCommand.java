package io.thinklab.cli;

import io.thinklab.eval.EvalResult;
import io.thinklab.eval.EvalResults;
import io.thinklab.eval.SeedSweep;
import io.thinklab.eval.ThinkingAblation;
import io.thinklab.eval.TruncationAblation;
import io.thinklab.generate.Sampling;
import io.thinklab.lora.LoraConfig;
import io.thinklab.run.RunFiles;
import io.thinklab.train.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code thinklab ablation truncation|thinking}: the lab's two controlled experiments, trained and evaluated side
 * by side, for one seed or several ({@code --seeds}).
 */
@Command(name = "ablation", mixinStandardHelpOptions = true,
    description = {"ablation truncation: two LoRA adapters on the same base, data and settings; 'truncated' cuts "
        + "every sequence at a max_length that loses </think> in most rows (the seed lost 78.8 %%), 'fixed' applies "
        + "the preflight's fix. By default the max_length, LoRA and training settings of the run files "
        + "tiny-glm-cpu-truncated and tiny-glm-cpu-fixed. Evaluated sampled at --temperature.",
        "ablation thinking: the base, an adapter trained answer-only (the same rows with the thinking removed) and "
            + "one trained with the thinking, on the same base, rows, steps and seed; graded greedily on held-out "
            + "problems (accuracy with its 95 %% interval).",
        "The base is the lab's pre-trained tiny base (build/tiny-base, made by `thinklab pretrain` when missing) "
            + "unless --base names another. --seeds 42,43,44 runs the ablation once per seed (adapters, data order, "
            + "sampling) on that base and prints each seed's rates and their range."})
public final class AblationCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "WHICH", description = "truncation or thinking")
  String which;

  @Option(names = "--base", paramLabel = "DIR",
      description = "the base model folder (with tokenizer.json); default: the tiny base, pre-trained when missing")
  Path base;

  @Option(names = "--train", description = "training rows (default data/samples/glm-mini.jsonl.gz for truncation, "
      + "data/samples/opus-mini.jsonl for thinking)")
  Path train;

  @Option(names = "--eval", defaultValue = "data/samples/eval-mini.jsonl", description = "held-out rows (default ${DEFAULT-VALUE})")
  Path eval;

  @Option(names = "--train-rows", description = "rows each adapter trains on (default "
      + TruncationAblation.TRAIN_ROWS + " for truncation, " + ThinkingAblation.TRAIN_ROWS + " for thinking)")
  Integer trainRows;

  @Option(names = "--eval-rows", description = "held-out problems each arm answers (default "
      + TruncationAblation.EVAL_ROWS + " for truncation, " + ThinkingAblation.EVAL_ROWS + " for thinking)")
  Integer evalRows;

  @Option(names = "--run-files", defaultValue = "tiny-glm-cpu-truncated,tiny-glm-cpu-fixed", paramLabel = "A,B",
      description = "truncation: the two run files (built-in names or paths) whose max_length, lora and train "
          + "settings the arms use (default ${DEFAULT-VALUE}); 'none' computes the cutoffs from --cut-share and uses "
          + "the options below")
  String runFiles;

  @Option(names = "--cut-share", defaultValue = "0.97", description = "with --run-files none (default ${DEFAULT-VALUE})")
  double cutShare;

  @Option(names = "--steps", defaultValue = "0", description = "optimizer steps per arm (0 = all epochs)")
  int steps;

  @Option(names = "--epochs", defaultValue = "2", description = "with --run-files none (default ${DEFAULT-VALUE})")
  int epochs;

  @Option(names = "--lr", defaultValue = "5e-3", description = "with --run-files none (default ${DEFAULT-VALUE})")
  double lr;

  @Option(names = "--rank", defaultValue = "8", description = "with --run-files none: LoRA r (alpha = 2r; q,k,v,o)")
  int rank;

  @Option(names = "--max-new-tokens", description = "evaluation budget (default " + TruncationAblation.MAX_NEW_TOKENS
      + " for truncation, " + ThinkingAblation.MAX_NEW_TOKENS + " for thinking)")
  Integer maxNewTokens;

  @Option(names = "--temperature", defaultValue = "" + TruncationAblation.TEMPERATURE,
      description = "truncation: evaluation sampling temperature, 0 = greedy (default ${DEFAULT-VALUE}: glm-style "
          + "traces end after a random number of redo rounds, so greedy decoding often never closes; at 1 the tiny "
          + "model's unlikely tokens derail long traces; the i-th problem of each batch of 8 draws from seed + i)")
  double temperature;

  @Option(names = "--seed", description = "adapters' initialisation, data order and sampling (default: "
      + "THINKLAB_SEED, else 42)")
  Long seed;

  @Option(names = "--seeds", split = ",", paramLabel = "S1,S2,…",
      description = "run once per seed and print each seed's rates and their range")
  List<Long> seeds;

  @Option(names = "--out", description = "where the runs go (default runs/ablation-<which>)")
  Path out;

  @Option(names = "--png", paramLabel = "FILE", description = "also draw the arms' close/finish/accuracy as a PNG")
  Path png;

  @Option(names = "--json", description = "print one JSON object: {\"truncated\": {…}, \"fixed\": {…}} or "
      + "{\"base\": {…}, \"answer_only\": {…}, \"thinking\": {…}}; with --seeds {\"seeds\": […], \"spread\": {…}}")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!which.equals("truncation") && !which.equals("thinking")) {
      throw new IllegalArgumentException("unknown ablation '" + which + "' (known: truncation, thinking)");
    }
    if (base == null) {
      base = io.thinklab.train.Pretrain.tinyBase();
    }
    if (out == null) {
      out = Path.of("runs", "ablation-" + which);
    }
    List<Long> all = seeds != null && !seeds.isEmpty() ? seeds
        : List.of(seed != null ? seed : io.thinklab.train.LabSeed.get());
    PrintWriter err = spec.commandLine().getErr();
    java.util.function.Consumer<String> progress = line -> { // on stderr: --json keeps stdout clean
      err.println("[ablation] " + line);
      err.flush();
    };
    SeedSweep sweep = new SeedSweep();
    String lastJson = null;
    EvalResults lastResults = null;
    String title = null;
    for (long s : all) {
      Path dir = all.size() == 1 ? out : out.resolve("seed-" + s);
      if (all.size() > 1) {
        progress.accept("seed " + s);
      }
      if (which.equals("thinking")) {
        ThinkingAblation.Outcome o = ThinkingAblation.run(thinkingSettings(s, dir), progress);
        sweep.add(s, named(o.results()));
        lastJson = o.toJson();
        lastResults = o.results();
        title = String.format("Base, answer-only and thinking adapters: %d held-out problems",
            o.thinking().eval().problems());
      } else {
        TruncationAblation.Outcome o = TruncationAblation.run(truncationSettings(s, dir), progress);
        sweep.add(s, named(o.results()));
        lastJson = o.toJson();
        lastResults = o.results();
        title = String.format("Truncated at %d vs fixed (%s): %d held-out problems", o.truncated().cutoff(),
            o.fixed().policy().equals("drop") ? "over-long rows dropped" : "max_length " + o.fixed().cutoff(),
            o.truncated().eval().problems());
      }
    }
    if (png != null) {
      io.thinklab.eval.EvalPng.write(lastResults, title, png, 800, 420);
      err.println("[ablation] wrote " + png);
    }
    PrintWriter w = spec.commandLine().getOut();
    if (all.size() > 1) {
      w.println(json ? sweep.toJson() : sweep.table());
    } else {
      w.println(json ? lastJson : lastResults.table().print());
    }
    w.flush();
    return 0;
  }

  private static int or(Integer given, int byDefault) {
    return given != null ? given : byDefault;
  }

  private static java.util.Map<String, EvalResult> named(EvalResults r) {
    java.util.Map<String, EvalResult> m = new java.util.LinkedHashMap<>();
    for (EvalResult e : r.results()) {
      m.put(e.name(), e);
    }
    return m;
  }

  private ThinkingAblation.Settings thinkingSettings(long s, Path dir) {
    ThinkingAblation.Settings t = ThinkingAblation.Settings.defaults(io.thinklab.preflight.Preflight.root(), base, s);
    return new ThinkingAblation.Settings(t.base(), train != null ? train : t.trainData(), eval,
        or(trainRows, t.trainRows()), or(evalRows, t.evalRows()), or(maxNewTokens, t.maxNewTokens()),
        steps > 0 ? t.train().withMaxSteps(steps) : t.train(), t.lora(), dir, t.sampling());
  }

  private TruncationAblation.Settings truncationSettings(long s, Path dir) {
    Path data = train != null ? train : Path.of("data/samples/glm-mini.jsonl.gz");
    int budget = or(maxNewTokens, TruncationAblation.MAX_NEW_TOKENS);
    int rows = or(trainRows, TruncationAblation.TRAIN_ROWS);
    int problems = or(evalRows, TruncationAblation.EVAL_ROWS);
    Sampling sampling = temperature > 0 ? Sampling.of(temperature, 0, 1.0, s) : Sampling.greedy();
    if (runFiles.equals("none")) {
      TrainConfig tc = TrainConfig.builder().batch(4, 2).epochs(epochs).maxSteps(steps).lr(lr).seed(s)
          .checkpoints(0, 1).build();
      LoraConfig lc = new LoraConfig(rank, 2.0 * rank, 0.0, List.of("q_proj", "k_proj", "v_proj", "o_proj"), false,
          base.toString());
      return new TruncationAblation.Settings(base, data, eval, rows, problems, cutShare, null, budget, tc, lc,
          dir, false, sampling);
    }
    String[] names = runFiles.split(",");
    if (names.length != 2) {
      throw new IllegalArgumentException("--run-files needs two names, truncated,fixed: " + runFiles);
    }
    return TruncationAblation.Settings.fromRunFiles(RunFiles.resolve(names[0].trim(), List.of()),
        RunFiles.resolve(names[1].trim(), List.of()), base, data, eval, rows, problems, budget, s, dir)
        .withMaxSteps(steps).withSampling(sampling);
  }
}
