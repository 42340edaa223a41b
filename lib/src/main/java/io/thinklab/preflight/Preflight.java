package io.thinklab.preflight;

import io.thinklab.data.TrainingFormat;
import io.thinklab.diagnose.CutoffStats;
import io.thinklab.diagnose.Diagnoser;
import io.thinklab.diagnose.Diagnosis;
import io.thinklab.diagnose.Policy;
import io.thinklab.diagnose.PolicyEffect;
import io.thinklab.model.LlamaConfig;
import io.thinklab.run.DeviceKind;
import io.thinklab.run.ModelProfiles;
import io.thinklab.run.RunFile;
import io.thinklab.run.RunFiles;
import io.thinklab.run.RunRows;
import io.thinklab.run.RunSources;
import io.thinklab.tokens.HubFiles;
import io.thinklab.tokens.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a run file before any GPU is rented: data, tokenizer, truncation, plan, size, memory, time and cost,
 * each with one verdict line. The seed lost a run because 78.8 % of its rows were cut before {@code </think>};
 * the truncation check measures that on the whole corpus and says how to fix it.
 *
 * <pre>{@code
 * PreflightReport r = Preflight.check(RunFiles.resolve("tiny-glm-cpu-truncated", List.of()));
 * System.out.print(r.text());   // FAIL truncation, with the fixes
 * }</pre>
 *
 * <p>Relative paths in the run file are resolved against the ThinkLab checkout (the folder holding
 * {@code environment/lab}, searched upwards from the working directory), so notebooks and the CLI agree.
 */
public final class Preflight {

  private static final double GIB = 1024.0 * 1024 * 1024;

  private final RunFile run;
  private final Path base;
  private final List<String> notes = new ArrayList<>();
  private final Map<String, Object> numbers = new LinkedHashMap<>();

  private Preflight(RunFile run, Path base) {
    this.run = run;
    this.base = base;
  }

  /** Runs every check of {@code run}, resolving relative paths against the ThinkLab checkout. */
  public static PreflightReport check(RunFile run) {
    return check(run, root());
  }

  /** Runs every check of {@code run}, resolving relative paths against {@code base}. */
  public static PreflightReport check(RunFile run, Path base) {
    return new Preflight(run, base).checkAll();
  }

  /**
   * The rows the checks measure, in the order they measure them ({@link RunRows} over each dataset found as
   * {@link #check} finds it); for tests that hold them against what {@code thinklab train} reads.
   *
   * @throws IllegalArgumentException when a dataset and its fallback are both missing
   */
  static Iterable<io.thinklab.data.Triplet> measuredRows(RunFile run, Path base) {
    List<RunRows> files = new ArrayList<>();
    Check missing = new Preflight(run, base).dataFiles(files);
    if (missing != null) {
      throw new IllegalArgumentException(missing.summary());
    }
    return io.thinklab.data.Dataset.concat(files);
  }

  /** The ThinkLab checkout, where a run file's relative paths resolve: {@link RunSources#root()}. */
  public static Path root() {
    return RunSources.root();
  }

  private PreflightReport checkAll() {
    List<Check> checks = new ArrayList<>();
    LlamaConfig model = ModelProfiles.resolve(resolveModel(run.model()));
    numbers.put("model", run.model());
    Policy policy = Policy.parse(run.overLong());
    int cutoff = run.maxLength();

    List<RunRows> files = new ArrayList<>();
    Check data = dataFiles(files);
    if (data != null) {
      checks.add(data);
      checks.add(size(model));
      return new PreflightReport(run.name(), notes, checks, numbers);
    }
    try (Tokenizer tok = tokenizer()) {
      Diagnoser diagnoser = Diagnoser.builder().setTokenizer(tok).optFormat(TrainingFormat.plain(tok.eosToken()))
          .optMicroBatch(run.train().microBatch()).build();
      Diagnosis d = diagnoser.diagnose(io.thinklab.data.Dataset.concat(files), Diagnosis.DEFAULT_CUTOFFS);
      checks.add(dataCheck(files, d));
      if (d.total() == 0) {
        return new PreflightReport(run.name(), notes, checks, numbers);
      }
      checks.add(tokenizerCheck(diagnoser, tok));
      checks.add(truncation(d, policy, cutoff, model));
      Diagnosis trained = policy == Policy.DROP ? d.keepingOnly(cutoff) : d;
      checks.add(plan(trained, d, policy, cutoff));
      long loraParams = loraParameters(model);
      checks.add(size(model));
      int longest = Math.min(cutoff, trained.fullSummary().max());
      checks.add(memory(model, loraParams, run.train().microBatch(), longest));
      checks.add(time(model, loraParams, trained, cutoff));
    }
    return new PreflightReport(run.name(), notes, checks, numbers);
  }

  // ---------------------------------------------------------------- data

  /**
   * Finds every dataset where {@code thinklab train} looks ({@link RunSources#data}: the path, a hub download in
   * {@code data/hub/}), else approximates with its fallback and says so. Returns a FAIL check when one is missing,
   * else null. The rows are those the trainer takes ({@link RunRows}).
   */
  private Check dataFiles(List<RunRows> out) {
    for (int i = 0; i < run.data().size(); i++) {
      RunFile.Data spec = run.data().get(i);
      RunSources.Found found = RunSources.data(spec, base);
      if (found == null && spec.fallback() != null) {
        found = RunSources.fallback(spec, base);
        notes.add("APPROXIMATING: data " + spec.path() + " is not available (" + (HubFiles.looksLikeHubId(spec.path())
            ? "a hub dataset not downloaded to data/hub/" : "no such file") + "); measured on the fallback "
            + spec.fallback() + (found == null ? " (missing too)" : "") + " instead. thinklab train stops on it"
            + " unless --allow-fallback");
      }
      if (found == null) {
        Path p = spec.fallback() != null ? base.resolve(spec.fallback()) : RunSources.dataPlaces(spec, base).get(0);
        return new Check("data", Check.Verdict.FAIL, "no data file " + shortPath(p), List.of(),
            List.of("create it (environment/lab run writes the samples) or --set data." + i + ".path=<file>",
                RunSources.missingData(spec, i, base)));
      }
      out.add(RunRows.of(found));
    }
    return null;
  }

  private Check dataCheck(List<RunRows> files, Diagnosis d) {
    int read = 0;
    Map<String, Integer> rejects = new LinkedHashMap<>();
    List<String> details = new ArrayList<>();
    for (RunRows f : files) {
      read += f.rowsRead();
      f.rejects().forEach((k, v) -> rejects.merge(k, v, Integer::sum));
      details.add(String.format("%s: %,d rows kept of %,d read%s", shortPath(f.shown()),
          f.rowsKept(), f.rowsRead(), f.selection().isEmpty() ? "" : " (max_rows: " + f.selection() + ")"));
      f.firstRejects().forEach((k, v) -> details.add("first '" + k + "': " + v));
    }
    numbers.put("rows", d.total());
    numbers.put("rejects", rejects);
    String rej = rejects.isEmpty() ? "no rejects" : "rejects " + rejects;
    if (d.total() == 0) {
      return new Check("data", Check.Verdict.FAIL, "0 rows after filters (" + rej + ")", details,
          List.of("check the files' fields (problem, thinking, solution) and the filters"));
    }
    return Check.pass("data", String.format("%,d rows after filters and cap (%,d read; %s)", d.total(), read, rej),
        details);
  }

  // ---------------------------------------------------------------- tokenizer

  /**
   * The run's tokenizer where {@code thinklab train} looks ({@link RunSources#tokenizer}); a hub id not yet in
   * {@code data/hub/} is downloaded there when online; else the fallback, as an approximation, said in the notes.
   */
  private Tokenizer tokenizer() {
    String path = run.tokenizer().path();
    Path found = RunSources.tokenizer(path, base, modelFolder());
    try {
      Tokenizer t = found != null ? Tokenizer.load(found)
          : Tokenizer.resolve(resolvePath(path), base.resolve(RunSources.HUB_CACHE));
      numbers.put("tokenizer", path);
      return t;
    } catch (RuntimeException e) {
      String fb = run.tokenizer().fallback();
      if (fb == null) {
        throw e;
      }
      notes.add("APPROXIMATING: tokenizer " + path + " unavailable (" + firstLine(e.getMessage()) + "); counting"
          + " with the fallback " + fb + ": lengths are that tokenizer's, not the model's. thinklab train stops"
          + " on it unless --allow-fallback");
      numbers.put("tokenizer", fb);
      return Tokenizer.resolve(resolvePath(fb));
    }
  }

  /** The run's model as a local folder (it may hold the tokenizer), or null for a profile or a config file. */
  private Path modelFolder() {
    if (ModelProfiles.NAMES.contains(run.model())) {
      return null;
    }
    Path p = base.resolve(run.model());
    return Files.isDirectory(p) ? p : null;
  }

  private Check tokenizerCheck(Diagnoser diagnoser, Tokenizer tok) {
    boolean single = diagnoser.markerLines().size() == 3;
    return new Check("tokenizer", single ? Check.Verdict.PASS : Check.Verdict.WARN,
        (single ? "<think>, </think> and EOS are single tokens of " : "a marker is split by ")
            + shortPath(Path.of(tok.name())), diagnoser.markerLines(), List.of());
  }

  // ---------------------------------------------------------------- truncation

  private Check truncation(Diagnosis d, Policy policy, int cutoff, LlamaConfig model) {
    CutoffStats s = d.withCutoffs(List.of(cutoff)).at(cutoff);
    double need = run.checks().minKeepShare();
    int min99 = d.minCutoffFor(Diagnosis.TARGET_SHARE);
    int minNeed = d.minCutoffFor(need);
    numbers.put("max_length", cutoff);
    numbers.put("keep_both_pct", s.pct(s.bothSurvive()));
    numbers.put("cut_before_end_think", s.total() - s.endThinkSurvives());
    numbers.put("min_cutoff_for_99pct", min99);
    List<String> details = new ArrayList<>();
    details.add(String.format("at max_length %d: %,d of %,d rows cut (%.2f %%); </think> kept %.2f %%, EOS kept"
            + " %.2f %%, both %.2f %%", cutoff, s.fullTruncated(), s.total(), s.pct(s.fullTruncated()),
        s.pct(s.endThinkSurvives()), s.pct(s.eosSurvives()), s.pct(s.bothSurvive())));
    details.add(String.format("full length p50 %d, p90 %d, p99 %d, max %d", d.fullSummary().p50(),
        d.fullSummary().p90(), d.fullSummary().p99(), d.fullSummary().max()));
    PolicyEffect effect = d.policy(policy, cutoff);
    details.add("policy " + effect.describe());

    Check.Verdict verdict;
    String summary;
    switch (policy) {
      case TRUNCATE -> {
        boolean ok = s.bothShare() >= need;
        verdict = ok ? Check.Verdict.PASS : Check.Verdict.FAIL;
        summary = String.format("%.2f %% of rows keep </think> and EOS at max_length %d (need %.0f %%); %,d rows"
                + " never show the model </think>", s.pct(s.bothSurvive()), cutoff, 100 * need,
            s.total() - s.endThinkSurvives());
      }
      case DROP -> {
        double dropped = (double) effect.rowsRemoved() / s.total();
        verdict = effect.rowsTrained() == 0 ? Check.Verdict.FAIL
            : dropped > 1 - need ? Check.Verdict.WARN : Check.Verdict.PASS;
        summary = String.format("drop: every trained row keeps </think> and EOS; %,d rows (%.2f %%) dropped at"
            + " max_length %d", effect.rowsRemoved(), 100 * dropped, cutoff);
      }
      default -> {
        verdict = effect.rowsRemoved() > 0 ? Check.Verdict.FAIL : Check.Verdict.PASS;
        summary = effect.rowsRemoved() > 0 ? String.format("error: the run would stop at row %s; %,d rows are"
            + " longer than %d", effect.firstOffender(), effect.rowsRemoved(), cutoff)
            : "error: no row is longer than " + cutoff;
      }
    }
    List<String> fixes = new ArrayList<>();
    if (verdict != Check.Verdict.PASS && min99 > 0) {
      int raised = roundUp(min99, 256);
      fixes.add(String.format("raise the cutoff to %d (smallest keeping both markers in 99 %% is %d): --set"
          + " max_length=%d%s", raised, min99, raised, memoryHint(model, d, raised)));
      PolicyEffect drop = d.policy(Policy.DROP, cutoff);
      fixes.add(String.format("drop the %,d over-long rows (%.2f %%), keep max_length %d: --set over_long=drop",
          drop.rowsRemoved(), 100.0 * drop.rowsRemoved() / s.total(), cutoff));
      if (minNeed > 0 && roundUp(minNeed, 256) < raised) {
        int both = roundUp(minNeed, 256);
        PolicyEffect dropBoth = d.policy(Policy.DROP, both);
        fixes.add(String.format("both: max_length %d and drop the %,d rows still longer (%.2f %%): --set"
                + " max_length=%d --set over_long=drop", both, dropBoth.rowsRemoved(),
            100.0 * dropBoth.rowsRemoved() / s.total(), both));
      }
    }
    return new Check("truncation", verdict, summary, details, fixes);
  }

  /** When raising the cutoff overflows memory at this micro-batch, the micro-batch that fits. */
  private String memoryHint(LlamaConfig model, Diagnosis d, int cutoff) {
    long lora = loraParameters(model);
    int s = Math.min(cutoff, d.fullSummary().max());
    int b = run.train().microBatch();
    int eff = b * run.train().gradAccum();
    while (b > 1 && !fits(model, lora, b, s)) {
      b /= 2;
    }
    if (b == run.train().microBatch()) {
      return "";
    }
    return String.format(" --set train.micro_batch=%d --set train.grad_accum=%d (micro-batch %d would not fit in"
        + " memory at that length; same effective batch %d)", b, Math.max(1, eff / b), run.train().microBatch(), eff);
  }

  private boolean fits(LlamaConfig model, long lora, int b, int s) {
    return Estimates.memory(model, lora, run.train().precision(), b, s, run.train().gradientCheckpointing(),
        device() != DeviceKind.CPU).total() <= deviceMemory();
  }

  // ---------------------------------------------------------------- plan

  private Check plan(Diagnosis trained, Diagnosis all, Policy policy, int cutoff) {
    RunFile.Train t = run.train();
    int rows = policy == Policy.ERROR && all.policy(Policy.ERROR, cutoff).rowsRemoved() > 0 ? all.total()
        : trained.total();
    long batches = ceilDiv(rows, t.microBatch());
    long stepsPerEpoch = Math.max(1, ceilDiv(batches, t.gradAccum()));
    long steps = stepsPerEpoch * t.epochs();
    CutoffStats s = trained.withMicroBatch(t.microBatch()).at(cutoff);
    long tokens = s.tokensPerEpoch() * t.epochs();
    numbers.put("optimizer_steps", steps);
    numbers.put("trained_tokens", tokens);
    long random = trained.randomPaddedSlots(cutoff, t.microBatch());
    double randomWaste = random == 0 ? 0 : 1.0 - (double) s.tokensPerEpoch() / random;
    numbers.put("padding_waste_pct", Math.round(1000 * s.paddingWaste()) / 10.0);
    numbers.put("padding_waste_random_pct", Math.round(1000 * randomWaste) / 10.0);
    String summary = String.format("%,d rows x %d epochs / (%d x %d) = %,d optimizer steps; %,d tokens trained",
        rows, t.epochs(), t.microBatch(), t.gradAccum(), steps, tokens);
    List<String> details = List.of(
        String.format("%,d steps per epoch, %,d warm-up steps (%.0f %%), %s schedule, peak lr %.1e", stepsPerEpoch,
            (long) Math.ceil(t.warmupRatio() * steps), 100 * t.warmupRatio(), t.schedule(), t.lr()),
        String.format("padding to the longest row of each micro-batch of %d, grouped by length as the trainer"
            + " batches (io.thinklab.train.Batches): %,d positions computed per epoch for %,d tokens, %.1f %% waste"
            + " (random micro-batches: %.1f %%)", t.microBatch(), s.paddedSlots(), s.tokensPerEpoch(),
            100 * s.paddingWaste(), 100 * randomWaste));
    return Check.pass("plan", summary, details);
  }

  // ---------------------------------------------------------------- size

  /** LoRA's trainable scalars: the low-rank pairs, plus the embedding rows of the trainable tokens. */
  private long loraParameters(LlamaConfig m) {
    return Estimates.loraParameters(m, run.lora().r(), run.lora().targets())
        + (long) run.lora().trainableTokens().size() * m.hiddenSize();
  }

  private Check size(LlamaConfig m) {
    RunFile.Lora l = run.lora();
    long lora = loraParameters(m);
    numbers.put("total_parameters", m.totalParameters());
    numbers.put("non_embedding_parameters", m.nonEmbeddingParameters());
    numbers.put("lora_parameters", lora);
    double scale = l.rslora() ? l.alpha() / Math.sqrt(l.r()) : l.alpha() / l.r();
    return Check.pass("size", String.format("%s parameters (%s outside the embeddings); LoRA r=%d on %s: %,d"
            + " trainable (%.3f %%)", human(m.totalParameters()), human(m.nonEmbeddingParameters()), l.r(),
        String.join("/", l.targets()), lora, 100.0 * lora / m.totalParameters()),
        List.of(String.format("%,d total = %,d embeddings%s + %d blocks x %,d + final norm", m.totalParameters(),
                m.embeddingParameters(), m.tieWordEmbeddings() ? " (tied head)" : " + untied LM head",
                m.numLayers(), m.blockParameters()),
            String.format("adapter update scaled by %s = %.3f; dropout %.2f", l.rslora() ? "alpha/sqrt(r)"
                : "alpha/r", scale, l.dropout())));
  }

  // ---------------------------------------------------------------- memory

  private Check memory(LlamaConfig m, long lora, int b, int s) {
    RunFile.Train t = run.train();
    boolean gpu = device() != DeviceKind.CPU;
    Estimates.Memory mem = Estimates.memory(m, lora, t.precision(), b, s, t.gradientCheckpointing(), gpu);
    long have = deviceMemory();
    numbers.put("memory_gib", round1(mem.total() / GIB));
    numbers.put("device_memory_gib", round1(have / GIB));
    boolean ok = mem.total() <= have;
    List<String> details = List.of(
        String.format("frozen weights %.1f GiB (%s), LoRA + fp32 masters + AdamW %.2f GiB", mem.weights() / GIB,
            t.precision(), mem.lora() / GIB),
        String.format("activations at micro-batch %d x %d tokens: blocks %.1f GiB, attention score matrices %.1f GiB"
            + " (%s), logits %.1f GiB, overhead %.1f GiB", b, s, mem.blocks() / GIB, mem.attention() / GIB,
            t.gradientCheckpointing() ? "one layer at a time, checkpointing" : "all layers", mem.logits() / GIB,
            mem.overhead() / GIB));
    List<String> fixes = new ArrayList<>();
    if (!ok) {
      int fitB = b;
      while (fitB > 1 && !fits(m, lora, fitB, s)) {
        fitB /= 2;
      }
      int eff = b * t.gradAccum();
      if (fits(m, lora, fitB, s)) {
        fixes.add(String.format("--set train.micro_batch=%d --set train.grad_accum=%d (same effective batch %d)",
            fitB, Math.max(1, eff / fitB), eff));
      }
      if (!t.gradientCheckpointing()) {
        fixes.add("--set train.gradient_checkpointing=true");
      }
      fixes.add("or lower max_length (attention memory grows with its square)");
    }
    return new Check("memory", ok ? Check.Verdict.PASS : Check.Verdict.FAIL,
        String.format("%.1f GiB needed of %.1f GiB on %s", mem.total() / GIB, have / GIB, device().key()), details,
        fixes);
  }

  // ---------------------------------------------------------------- time and cost

  private Check time(LlamaConfig m, long lora, Diagnosis trained, int cutoff) {
    RunFile.Train t = run.train();
    RunFile.Device dev = run.device();
    int rows = trained.total();
    long steps = Math.max(1, ceilDiv(ceilDiv(rows, t.microBatch()), t.gradAccum())) * t.epochs();
    double slots = trained.paddedSlots(cutoff, t.microBatch()) * (double) t.epochs();
    double squares = trained.paddedSquares(cutoff, t.microBatch()) * t.epochs();
    double flops = Estimates.flops(m, lora, slots, squares, t.gradientCheckpointing());
    double peak = device().peakFlops(t.precision());
    double mfu = dev.mfu() > 0 ? dev.mfu() : Estimates.MEASURED_MFU; // 0: the measured one
    double seconds = flops / (peak * mfu);
    double hours = seconds / 3600;
    numbers.put("flops", flops);
    numbers.put("seconds_per_step", Math.round(seconds / steps * 100) / 100.0);
    numbers.put("device_hours", Math.round(hours * 100) / 100.0);
    List<String> details = new ArrayList<>();
    details.add(String.format("%.3g FLOP per step = 4*N*T frozen%s + 6*N_lora*T adapters + attention (12*L*d*S^2"
            + " per sequence%s), T = %,.0f padded tokens per step", flops / steps,
        t.gradientCheckpointing() ? " + 2*N*T recompute" : "", t.gradientCheckpointing() ? ", x4/3 recompute" : "",
        slots / steps));
    details.add(String.format("at %.1f %% MFU (%s) of %.3g TFLOP/s (%s, %s): %.2f s per step", 100 * mfu,
        dev.mfu() > 0 ? "the run file's" : "measured: the seed's 2.79 s/step, TRL + PEFT, Nanbeige4-3B, 16 x 2048, H100",
        peak / 1e12, device().key(), t.precision(), seconds / steps));
    String cost = "";
    if (dev.pricePerGpuHour() > 0) {
      cost = String.format(", $%.2f at $%.2f/h", hours * dev.pricePerGpuHour(), dev.pricePerGpuHour());
      numbers.put("cost_usd", Math.round(hours * dev.pricePerGpuHour() * 100) / 100.0);
    }
    RunFile.Reference ref = run.reference();
    if (ref != null && ref.secondsPerStep() > 0) {
      double refHours = ref.secondsPerStep() * steps / 3600;
      double implied = flops / steps / (ref.secondsPerStep() * peak);
      details.add(String.format("reference: %s: %.2f s/step -> %.2f h for %,d steps%s; %s",
          ref.note(), ref.secondsPerStep(), refHours, steps, dev.pricePerGpuHour() > 0
              ? String.format(" ($%.2f)", refHours * dev.pricePerGpuHour()) : "",
          implied <= 1 ? String.format("with this run's FLOPs per step that is %.0f %% MFU", 100 * implied)
              : "this run's steps are heavier than the reference's, so its time does not apply"));
    }
    boolean slowCpu = device() == DeviceKind.CPU && hours > 2;
    return new Check("time", slowCpu ? Check.Verdict.WARN : Check.Verdict.PASS,
        String.format("%,d steps, %.2f %s-hours%s", steps, hours, device().key(), cost), details,
        slowCpu ? List.of("a CPU run this long: lower max_rows or epochs for the lab") : List.of());
  }

  // ---------------------------------------------------------------- helpers

  private DeviceKind device() {
    return DeviceKind.parse(run.device().type());
  }

  private long deviceMemory() {
    return run.device().memoryGib() > 0 ? (long) (run.device().memoryGib() * GIB) : device().memoryBytes();
  }

  private String resolveModel(String model) {
    return ModelProfiles.NAMES.contains(model) ? model : base.resolve(model).toString();
  }

  private String resolvePath(String p) {
    Path local = base.resolve(p);
    return Files.exists(local) || !HubFiles.looksLikeHubId(p) ? local.toString() : p;
  }

  /** A path relative to the checkout when inside it, else absolute. */
  private String shortPath(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(base.toAbsolutePath()) ? base.toAbsolutePath().relativize(abs).toString() : abs.toString();
  }

  private static int roundUp(int v, int step) {
    return (v + step - 1) / step * step;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static String human(long n) {
    return n >= 1e9 ? String.format("%.2f B", n / 1e9) : String.format("%.2f M", n / 1e6);
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
