package io.thinklab.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.lora.LoraConfig;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.run.ModelProfiles;
import io.thinklab.run.RunFile;
import io.thinklab.run.RunFiles;
import io.thinklab.run.RunSources;
import io.thinklab.train.Precision;
import io.thinklab.train.Sequence;
import io.thinklab.train.TrainConfig;
import io.thinklab.train.TrainData;
import io.thinklab.train.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code thinklab train}: LoRA SFT from a run file, the same file the preflight checks.
 *
 * <p>Reads top to bottom: resolve the run file, read and tokenize the data (every check that can fail does so
 * here, before a weight exists), build the base model, attach LoRA, train. The data are the rows the preflight
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
  public Integer call() throws IOException {
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
    boolean gpu = !run.device().type().toLowerCase(Locale.ROOT).equals("cpu");
    Precision precision = Precision.forRunFile(run.train().precision(), gpu);
    if (run.train().precision().equals("bf16")) { // DJL's PyTorch engine has no bf16 (it crashes the JVM)
      say.println("precision: the run file says bf16, which DJL's PyTorch engine lacks; training in " + precision
          + (gpu ? " (frozen base fp16, fp32 LoRA masters, loss scaling)" : " on the CPU"));
    }
    TrainConfig cfg = TrainConfig.fromRun(run.train(), precision).maxSteps(intKnob(loop, "max_steps"))
        .weightDecay(doubleKnob(loop, "weight_decay")).maxGradNorm(doubleKnob(loop, "max_grad_norm"))
        .seed(longKnob(loop, "seed")).checkpoints(intKnob(loop, "checkpoint_every"), intKnob(loop, "keep_checkpoints"))
        .build();

    // ---------------------------------------------------------------- model config, tokenizer, data: no weights yet
    if (!resume && !io.thinklab.train.Checkpoints.list(out.resolve("checkpoints")).isEmpty()) {
      throw new IllegalArgumentException(out + " already holds checkpoints: add --resume, or choose another --out");
    }
    // the run file's relative paths are resolved as the preflight resolves them (against the checkout when run
    // inside one, else the working folder), so both look for the data and the tokenizer in the same places
    Path root = RunSources.root();
    Path baseFolder = baseDir != null ? baseDir
        : !ModelProfiles.NAMES.contains(run.model()) && Files.isDirectory(root.resolve(run.model()))
        ? root.resolve(run.model()) : null;
    Path savedBase = out.resolve("base");
    if (baseFolder == null && resume && Files.exists(savedBase.resolve("model.safetensors"))) {
      baseFolder = savedBase; // resume on the very base the run began with
    }
    LlamaConfig mc = baseFolder != null ? LlamaConfig.read(baseFolder) : ModelProfiles.resolve(
        ModelProfiles.NAMES.contains(run.model()) ? run.model() : root.resolve(run.model()).toString());
    // a missing dataset or tokenizer stops here, before any weight, unless --allow-fallback
    Path tokDir = TrainData.tokenizerDir(run, root, baseFolder, allowFallback, line -> say.println(line));
    TrainData.Loaded loaded = TrainData.load(run, root, tokDir, mc, allowFallback, line -> say.println(line));
    List<Sequence> data = loaded.sequences();

    // ---------------------------------------------------------------- model, adapter, training
    Device device = gpu ? Device.gpu() : Device.cpu();
    Files.createDirectories(out);
    writeRunJson(run, cfg);
    try (LlamaModel model = baseFolder != null ? LlamaModel.load(baseFolder, cfg.baseDtype(), device)
        : LlamaModel.random(mc, cfg.baseDtype(), device, cfg.seed())) {
      if (baseFolder == null) {
        saveBase(model, run, root, tokDir, savedBase);
        baseFolder = savedBase;
        say.println("model: " + run.model() + " randomly initialised (seed " + cfg.seed() + "), saved in " + savedBase);
      } else {
        say.println("model: " + baseFolder);
      }
      LoraConfig lc = TrainData.loraConfig(run, baseFolder, loaded);
      try (LoraAdapter adapter = LoraAdapter.init(mc, lc, device, cfg.seed())) {
        Trainer trainer = Trainer.lora(model, adapter, data, cfg, out);
        say.printf("train: %,d LoRA parameters, %d steps in all%s, %s, %s%n", adapter.parameterCount(),
            trainer.totalSteps(), cfg.maxSteps() > 0 ? " (this call stops at " + trainer.stopStep() + ")" : "",
            cfg.precision(), device);
        say.flush();
        if (noProgress || System.console() == null) {
          trainer.quiet();
        }
        long t0 = System.nanoTime();
        List<Trainer.Step> steps = trainer.run(resume);
        double s = (System.nanoTime() - t0) / 1e9;
        Trainer.Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
        say.printf("done: %d steps in %.1f s%s; wrote %s (metrics.jsonl, checkpoints/, adapter/)%n", steps.size(), s,
            last == null ? "" : String.format(", step %d loss %.4f", last.step(), last.loss()), out);
      }
    }
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

  /** The random base, as a model folder: config.json, model.safetensors and the tokenizer files. */
  private static void saveBase(LlamaModel model, RunFile run, Path root, Path tokDir, Path dir) throws IOException {
    Files.createDirectories(dir);
    String res = "/io/thinklab/profiles/" + run.model() + ".json";
    try (InputStream in = TrainCommand.class.getResourceAsStream(res)) {
      if (in != null) {
        Files.write(dir.resolve("config.json"), in.readAllBytes());
      } else {
        Path p = root.resolve(run.model());
        Files.copy(Files.isDirectory(p) ? p.resolve("config.json") : p, dir.resolve("config.json"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    model.save(dir.resolve("model.safetensors"));
    Path tdir = Files.isDirectory(tokDir) ? tokDir : tokDir.toAbsolutePath().getParent();
    for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
      if (Files.exists(tdir.resolve(f))) {
        Files.copy(tdir.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** The resolved settings, so a run folder says how it was made. */
  private void writeRunJson(RunFile run, TrainConfig cfg) {
    ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT);
    try {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run", run);
      m.put("train_config", cfg);
      json.writeValue(out.resolve("run.json").toFile(), m);
    } catch (IOException e) {
      throw new UncheckedIOException(out + ": cannot write run.json: " + e.getMessage(), e);
    }
  }
}
