package io.thinklab.cli;

import io.thinklab.run.RunFile;
import io.thinklab.run.RunFiles;
import io.thinklab.run.RunSources;
import io.thinklab.train.LoraRecipe;
import io.thinklab.train.StepReport;
import io.thinklab.train.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code thinklab train}: LoRA SFT from a run file, the same file the preflight checks.
 *
 * <p>Reads top to bottom: resolve the run file and the loop's knobs, then hand both to {@link LoraRecipe}, which
 * reads and tokenizes the data (every check that can fail does so there, before a weight exists), builds the base
 * model, attaches LoRA and trains, as it does for the notebooks. The data are the rows the preflight
 * measures ({@link io.thinklab.run.RunRows}), found where it looks ({@link io.thinklab.run.RunSources}); a missing
 * dataset or tokenizer stops the run with what to fetch and where to put it, unless {@code --allow-fallback}. Writes into {@code --out}:
 * {@code metrics.jsonl}, {@code checkpoints/}, {@code adapter/} (PEFT format), {@code run.json} (the resolved
 * settings) and, for a randomly initialised base, {@code base/} (config, weights, tokenizer), which the adapter's
 * {@code base_model_name_or_path} points at so {@code thinklab generate <out>} finds it.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"LoRA fine-tuning from a run file (a built-in name such as tiny-opus-cpu, or a path), with "
        + "completion-only loss, checkpoints and exact --resume.",
        "Besides the run file's keys, --set takes the loop's own knobs: " + TrainCommand.LOOP_KEYS_TEXT + "."})
public final class TrainCommand implements Callable<Integer> {

  /** Settings of the loop that are not in the run file, with their defaults ({@link TrainConfig#builder()}'s). */
  static final Map<String, String> LOOP_KEYS = loopKeys(TrainConfig.defaults());
  static final String LOOP_KEYS_TEXT = "max_steps (0 = all), seed (42), checkpoint_every (50), keep_checkpoints (2),"
      + " weight_decay (0), max_grad_norm (1.0)";

  private static Map<String, String> loopKeys(TrainConfig d) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("max_steps", String.valueOf(d.maxSteps()));
    m.put("seed", String.valueOf(d.seed()));
    m.put("checkpoint_every", String.valueOf(d.checkpointEvery()));
    m.put("keep_checkpoints", String.valueOf(d.keepCheckpoints()));
    m.put("weight_decay", String.valueOf(d.weightDecay()));
    m.put("max_grad_norm", String.valueOf(d.maxGradNorm()));
    return m;
  }

  @Parameters(index = "0", paramLabel = "RUN", description = "a built-in run name or a run file path")
  String runName;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (e.g. runs/NAME)")
  Path out;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override a run-file key (train.micro_batch=1, data.0.max_rows=40) or a loop knob (max_steps=20)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--resume", description = "continue from the newest checkpoint in --out, exactly")
  boolean resume;

  @Option(names = "--base", paramLabel = "DIR",
      description = "a base model folder (config.json + safetensors) instead of the run file's model")
  Path baseDir;

  @Option(names = "--allow-fallback",
      description = "when the run file's data or tokenizer is missing, use its fallback (a synthetic sample, another"
          + " model's tokenizer) instead of stopping: for demos; the run then does not train what its file names")
  boolean allowFallback;

  @Option(names = "--no-progress", description = "no progress bar (it is off anyway when not in a terminal)")
  boolean noProgress;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter say = spec.commandLine().getOut();

    // ---------------------------------------------------------------- run file and loop knobs
    Map<String, String> loop = new LinkedHashMap<>(LOOP_KEYS);
    List<String> runSets = new ArrayList<>();
    for (String s : sets) {
      int eq = s.indexOf('=');
      String key = eq > 0 ? s.substring(0, eq).trim().replaceFirst("^train\\.", "") : "";
      if (LOOP_KEYS.containsKey(key)) {
        loop.put(key, s.substring(eq + 1).trim());
      } else {
        runSets.add(s);
      }
    }
    RunFile run;
    try {
      run = RunFiles.resolve(runName, runSets);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage()
          + (e.getMessage().startsWith("--set") ? "; the loop also takes: " + LOOP_KEYS_TEXT : ""), e);
    }

    // ---------------------------------------------------------------- the recipe: data, base, adapter, training
    // the run file's relative paths are resolved as the preflight resolves them (against the checkout when run
    // inside one, else the working folder), so both look for the data and the tokenizer in the same places
    LoraRecipe recipe = LoraRecipe.of(run).root(RunSources.root()).base(baseDir).allowFallback(allowFallback)
        .configure(c -> c.toBuilder().maxSteps(intKnob(loop, "max_steps"))
            .weightDecay(doubleKnob(loop, "weight_decay")).maxGradNorm(doubleKnob(loop, "max_grad_norm"))
            .seed(longKnob(loop, "seed"))
            .checkpoints(intKnob(loop, "checkpoint_every"), intKnob(loop, "keep_checkpoints")).build())
        .progressBar(!noProgress && System.console() != null)
        .say(line -> {
          say.println(line);
          say.flush();
        });
    LoraRecipe.Result r = recipe.run(out, resume);
    StepReport last = r.last();
    say.printf("done: %d steps in %.1f s%s; wrote %s (metrics.jsonl, checkpoints/, adapter/)%n", r.steps().size(),
        r.seconds(), last == null ? "" : String.format(", step %d loss %.4f", last.step(), last.loss()), out);
    return 0;
  }

  // ---------------------------------------------------------------- helpers

  private static int intKnob(Map<String, String> loop, String k) {
    try {
      return Integer.parseInt(loop.get(k));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--set " + k + "=" + loop.get(k) + ": not a whole number");
    }
  }

  private static long longKnob(Map<String, String> loop, String k) {
    try {
      return Long.parseLong(loop.get(k));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--set " + k + "=" + loop.get(k) + ": not a whole number");
    }
  }

  private static double doubleKnob(Map<String, String> loop, String k) {
    try {
      return Double.parseDouble(loop.get(k));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--set " + k + "=" + loop.get(k) + ": not a number");
    }
  }
}
