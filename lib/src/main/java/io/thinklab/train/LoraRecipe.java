package io.thinklab.train;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.lora.LoraConfig;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.run.ModelProfiles;
import io.thinklab.run.RunFile;
import io.thinklab.run.RunSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * LoRA fine-tuning put together in one place, as torchtune's {@code lora_finetune_single_device} recipe: a run file
 * becomes data, a base model, an adapter, a {@link TrainConfig}, a {@link Trainer} and a {@link Result}. Use it
 * whenever you train an adapter: {@code thinklab train}, the notebooks and the ablations all do, so a notebook trains
 * exactly what the command line would.
 *
 * <pre>{@code
 * RunFile run = RunFiles.resolve("tiny-opus-cpu", List.of("data.0.max_rows=160"));
 * LoraRecipe.Result r = LoraRecipe.of(run).base(Pretrain.tinyBase()).say(System.out::println)
 *     .run(Path.of("runs/tiny-opus-cpu"));
 * }</pre>
 *
 * <p>The steps, in order; every check that can fail does so before a weight exists:
 * <ol>
 *   <li>settings: the run file's {@code train:} block over {@link TrainConfig#builder()}'s defaults, bf16 mapped to
 *       this engine ({@link Precision#forRunFile}); {@link #configure} changes them;</li>
 *   <li>data: the rows the preflight measures, formatted and tokenized with the completion-only mask
 *       ({@link TrainData}), or the sequences given with {@link #sequences};</li>
 *   <li>base model: a folder ({@link #base}, or the run file's {@code model:} when it names a folder), or the run
 *       file's profile initialised at random from the seed and saved into {@code <out>/base/};</li>
 *   <li>adapter: the run file's {@code lora:} with its {@code trainable_tokens} as ids of the run's tokenizer, or the
 *       config given with {@link #lora}, initialised from the seed;</li>
 *   <li>trainer: {@link Trainer#lora} into {@code out}, with the listeners added ({@link #addListener}) and
 *       {@link #evalEvery} when set;</li>
 *   <li>result: the steps, and in {@code out}: {@code metrics.jsonl}, {@code checkpoints/}, {@code adapter/} and, for
 *       a run file, {@code run.json} (the resolved settings).</li>
 * </ol>
 *
 * <p>Without a run file ({@link #on(Path)}) the ingredients are given: a base folder, the {@link #sequences}, and
 * optionally {@link #lora} and {@link #config} (defaults: r 8, alpha 16 on q/k/v/o; {@link TrainConfig#defaults()}).
 */
public final class LoraRecipe {
  private final RunFile run;              // null when the ingredients are given
  private Path base;                      // a base model folder, or null: the run file's model
  private Path root = RunSources.root();  // where the run file's relative paths resolve
  private boolean allowFallback;
  private Device device;                  // null: the run file's device type (the CPU without a run file)
  private TrainConfig config;             // null: the run file's (or the defaults)
  private UnaryOperator<TrainConfig> configure = c -> c;
  private LoraConfig lora;                // null: the run file's (or r 8 on q/k/v/o)
  private List<Sequence> sequences;       // null: the run file's data
  private Consumer<String> say = line -> {};
  private boolean progressBar;
  private final List<TrainerListener> listeners = new ArrayList<>();
  private int evalEvery;
  private List<Sequence> heldOut = List.of();
  private Plan plan;                      // resolved once, by plan() or run()

  private LoraRecipe(RunFile run, Path base) {
    this.run = run;
    this.base = base;
  }

  /** A run of {@code run}: its data, model, adapter and settings. */
  public static LoraRecipe of(RunFile run) {
    return new LoraRecipe(Objects.requireNonNull(run, "run"), null);
  }

  /** A run on the base model folder {@code base} with ingredients given here: {@link #sequences} is required. */
  public static LoraRecipe on(Path base) {
    return new LoraRecipe(null, Objects.requireNonNull(base, "base"));
  }

  // ---------------------------------------------------------------- ingredients (each replaces the run file's)

  /** A base model folder ({@code config.json}, weights, tokenizer) instead of the run file's {@code model:}. */
  public LoraRecipe base(Path folder) {
    this.base = folder;
    return changed();
  }

  /** Where the run file's relative paths resolve (default {@link RunSources#root()}: the checkout). */
  public LoraRecipe root(Path folder) {
    this.root = folder;
    return changed();
  }

  /**
   * When the run file's dataset or tokenizer is missing, use its {@code fallback} (a synthetic sample, another
   * model's tokenizer) instead of stopping: for demos, said in a WARNING line ({@code thinklab train --allow-fallback}).
   */
  public LoraRecipe allowFallback(boolean allow) {
    this.allowFallback = allow;
    return changed();
  }

  /** The device to train on (default: the run file's {@code device.type}, the CPU for {@code cpu}). */
  public LoraRecipe device(Device d) {
    this.device = d;
    return changed();
  }

  /** The loop's settings, replacing the run file's {@code train:} block (or {@link TrainConfig#defaults()}). */
  public LoraRecipe config(TrainConfig c) {
    this.config = c;
    return changed();
  }

  /** Changes the settings the recipe would use, e.g. {@code c -> c.withMaxSteps(20).withSeed(7)}. */
  public LoraRecipe configure(UnaryOperator<TrainConfig> change) {
    this.configure = change;
    return changed();
  }

  /** The adapter, replacing the run file's {@code lora:}; its base path is set to the base trained on. */
  public LoraRecipe lora(LoraConfig l) {
    this.lora = l;
    return changed();
  }

  /** The training sequences (tokenized, completion-only), replacing the run file's data. */
  public LoraRecipe sequences(List<Sequence> data) {
    this.sequences = List.copyOf(data);
    return changed();
  }

  /** Receives what the recipe does, a line at a time (data read, model built, steps planned). Default: silent. */
  public LoraRecipe say(Consumer<String> lines) {
    this.say = lines;
    return this;
  }

  /** Shows the trainer's progress bar (a terminal); off by default (notebooks, tests). */
  public LoraRecipe progressBar(boolean on) {
    this.progressBar = on;
    return this;
  }

  /** Follows the training run ({@link Trainer#addListener}): a live chart, a progress line. */
  public LoraRecipe addListener(TrainerListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Called after every optimizer step: shorthand for {@code addListener(TrainerListener.everyStep(action))}. */
  public LoraRecipe onStep(Consumer<StepReport> action) {
    return addListener(TrainerListener.everyStep(action));
  }

  /** Measures the loss on {@code heldOut} every {@code steps} steps ({@link Trainer#evalEvery}). */
  public LoraRecipe evalEvery(int steps, List<Sequence> heldOut) {
    this.evalEvery = steps;
    this.heldOut = List.copyOf(heldOut);
    return this;
  }

  private LoraRecipe changed() {
    plan = null;
    return this;
  }

  // ---------------------------------------------------------------- the plan: everything but the weights

  /**
   * What the recipe will train, resolved without loading a weight: the data are read, tokenized and checked.
   *
   * @param config    the loop's settings
   * @param sequences the training sequences
   * @param data      the run file's data as read (rows, dropped rows, EOS, tokenizer), or null when given
   * @param model     the base model's shape
   * @param base      the base model folder, or null when the run file's profile is initialised at random
   * @param tokenizer the tokenizer folder, or null when the sequences were given
   * @param lora      the adapter, recorded on {@code base} (on the saved random base once {@link #run} made it)
   * @param device    where the run trains
   */
  public record Plan(TrainConfig config, List<Sequence> sequences, TrainData.Loaded data, LlamaConfig model, Path base,
                     Path tokenizer, LoraConfig lora, Device device) {

    /** Optimizer steps of the whole run (epochs × steps per epoch): what the lr schedule spans. */
    public int totalSteps() {
      return Trainer.totalSteps(sequences, config);
    }

    /** Where a call stops: {@code maxSteps} when set, else the end. */
    public int stopStep() {
      return config.maxSteps() > 0 ? Math.min(totalSteps(), config.maxSteps()) : totalSteps();
    }
  }

  /** The plan (resolved once; a later change of an ingredient resolves it again). */
  public Plan plan() {
    if (plan == null) {
      plan = run != null ? planRun(null, false) : planGiven();
    }
    return plan;
  }

  private Plan planGiven() {
    if (sequences == null || sequences.isEmpty()) {
      throw new IllegalArgumentException(base + ": no training sequences (call sequences(...))");
    }
    TrainConfig cfg = configure.apply(config != null ? config : TrainConfig.defaults());
    LoraConfig lc = lora != null ? lora.withBase(base.toString())
        : new LoraConfig(8, 16, 0.0, List.of("q_proj", "k_proj", "v_proj", "o_proj"), false, base.toString());
    return new Plan(cfg, sequences, null, LlamaConfig.read(base), base, null, lc,
        device != null ? device : Device.cpu());
  }

  /** A run file's plan; {@code out} and {@code resume} find a random base saved by the run being resumed. */
  private Plan planRun(Path out, boolean resume) {
    boolean gpu = device != null ? device.isGpu() : !run.device().type().toLowerCase(Locale.ROOT).equals("cpu");
    Device dev = device != null ? device : gpu ? Device.gpu() : Device.cpu();
    TrainConfig cfg = config;
    if (cfg == null) {
      Precision precision = Precision.forRunFile(run.train().precision(), gpu);
      String fallback = run.train().precision().equals("bf16") ? Precision.bf16Fallback(precision, gpu) : null;
      if (fallback != null) {
        say.accept("precision: " + fallback);
      }
      cfg = TrainConfig.fromRun(run.train(), precision).build();
    }
    cfg = configure.apply(cfg);

    // the base: a folder given, or the run file's model when it names a folder, or its profile at random
    Path baseFolder = base != null ? base
        : !ModelProfiles.NAMES.contains(run.model()) && Files.isDirectory(root.resolve(run.model()))
        ? root.resolve(run.model()) : null;
    if (baseFolder == null && resume && out != null && Files.exists(savedBase(out).resolve("model.safetensors"))) {
      baseFolder = savedBase(out); // resume on the very base the run began with
    }
    LlamaConfig mc = baseFolder != null ? LlamaConfig.read(baseFolder) : ModelProfiles.resolve(
        ModelProfiles.NAMES.contains(run.model()) ? run.model() : root.resolve(run.model()).toString());

    // the data: a missing dataset or tokenizer stops here, before any weight, unless allowFallback
    if (sequences != null) {
      if (lora == null && !run.lora().trainableTokens().isEmpty()) {
        throw new IllegalArgumentException(run.name() + ": lora.trainable_tokens need the run's tokenizer; with"
            + " sequences given, give the adapter too (lora(...))");
      }
      LoraConfig lc = lora != null ? lora : TrainData.loraConfig(run, baseOrNone(baseFolder), List.of());
      return new Plan(cfg, sequences, null, mc, baseFolder, null, lc, dev);
    }
    Path tokDir = TrainData.tokenizerDir(run, root, baseFolder, allowFallback, say);
    TrainData.Loaded loaded = TrainData.load(run, root, tokDir, mc, allowFallback, say);
    LoraConfig lc = lora != null ? lora : TrainData.loraConfig(run, baseOrNone(baseFolder), loaded);
    return new Plan(cfg, loaded.sequences(), loaded, mc, baseFolder, tokDir, lc, dev);
  }

  /** The base folder, or an empty path until a random base is saved (the adapter's base is set then). */
  private static Path baseOrNone(Path baseFolder) {
    return baseFolder != null ? baseFolder : Path.of("");
  }

  private static Path savedBase(Path out) {
    return out.resolve("base");
  }

  // ---------------------------------------------------------------- the run

  /**
   * What a run did.
   *
   * @param out            its folder: {@code metrics.jsonl}, {@code checkpoints/}, {@code adapter/}
   * @param base           the base model folder the adapter belongs to (its {@code base_model_name_or_path})
   * @param steps          the steps this call ran
   * @param totalSteps     optimizer steps of the whole run
   * @param stopStep       the step this call stopped at
   * @param loraParameters trainable scalars of the adapter
   * @param seconds        wall time of the training call
   */
  public record Result(Path out, Path base, List<StepReport> steps, int totalSteps, int stopStep,
                       long loraParameters, double seconds) {

    /** The adapter folder (PEFT's layout). */
    public Path adapter() {
      return out.resolve("adapter");
    }

    /** The last step this call ran, or null when it ran none. */
    public StepReport last() {
      return steps.isEmpty() ? null : steps.get(steps.size() - 1);
    }
  }

  /** Trains into {@code out} from the start (a folder holding checkpoints is refused). */
  public Result run(Path out) {
    return run(out, false);
  }

  /**
   * Trains into {@code out}; with {@code resume}, continues exactly from the newest checkpoint there.
   *
   * @throws IllegalArgumentException before any weight, for a run that cannot start (see {@link #plan()})
   * @throws TrainingDiverged when the loss or the gradients become NaN/inf (the last checkpoint stays)
   */
  public Result run(Path out, boolean resume) {
    if (!resume && hasCheckpoints(out)) {
      throw new IllegalArgumentException(out + " already holds checkpoints: add --resume, or choose another --out");
    }
    Plan p = plan != null && !resume ? plan : run != null ? planRun(out, resume) : planGiven();
    plan = p;
    TrainConfig cfg = p.config();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException(out + ": " + e.getMessage(), e);
    }
    if (run != null) {
      writeRunJson(out, cfg);
    }
    try (LlamaModel model = p.base() != null ? LlamaModel.load(p.base(), cfg.baseDtype(), p.device())
        : LlamaModel.random(p.model(), cfg.baseDtype(), p.device(), cfg.seed())) {
      Path baseFolder = p.base();
      if (baseFolder == null) {
        baseFolder = savedBase(out);
        saveBase(model, p.tokenizer(), baseFolder);
        say.accept("model: " + run.model() + " randomly initialised (seed " + cfg.seed() + "), saved in " + baseFolder);
      } else {
        say.accept("model: " + baseFolder);
      }
      try (LoraAdapter adapter = LoraAdapter.init(p.model(), p.lora().withBase(baseFolder.toString()), p.device(),
          cfg.seed())) {
        Trainer trainer = Trainer.lora(model, adapter, p.sequences(), cfg, out);
        listeners.forEach(trainer::addListener);
        if (!progressBar) {
          trainer.quiet();
        }
        if (evalEvery > 0) {
          trainer.evalEvery(evalEvery, heldOut);
        }
        say.accept(String.format("train: %,d LoRA parameters, %d steps in all%s, %s, %s", adapter.parameterCount(),
            trainer.totalSteps(), cfg.maxSteps() > 0 ? " (this call stops at " + trainer.stopStep() + ")" : "",
            cfg.precision(), p.device()));
        long t0 = System.nanoTime();
        List<StepReport> steps = trainer.run(resume);
        return new Result(out, baseFolder, steps, trainer.totalSteps(), trainer.stopStep(), adapter.parameterCount(),
            (System.nanoTime() - t0) / 1e9);
      }
    }
  }

  private static boolean hasCheckpoints(Path out) {
    try {
      return !Checkpoints.list(Checkpoints.root(out)).isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(out + ": " + e.getMessage(), e);
    }
  }

  /** The random base, as a model folder: config.json, model.safetensors and the tokenizer files. */
  private void saveBase(LlamaModel model, Path tokDir, Path dir) {
    try {
      Files.createDirectories(dir);
      if (ModelProfiles.NAMES.contains(run.model())) {
        Files.writeString(dir.resolve("config.json"), ModelProfiles.text(run.model()));
      } else {
        Path p = root.resolve(run.model());
        Files.copy(Files.isDirectory(p) ? p.resolve("config.json") : p, dir.resolve("config.json"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      model.save(dir.resolve("model.safetensors"));
      if (tokDir != null) {
        Path tdir = Files.isDirectory(tokDir) ? tokDir : tokDir.toAbsolutePath().getParent();
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
          if (Files.exists(tdir.resolve(f))) {
            Files.copy(tdir.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot save the base: " + e.getMessage(), e);
    }
  }

  /** The resolved settings, so a run folder says how it was made. */
  private void writeRunJson(Path out, TrainConfig cfg) {
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
