package io.thinklab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.model.Autograd;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.NativeOps;
import io.thinklab.model.Ops;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The supervised fine-tuning loop: completion-only next-token loss, gradient accumulation normalised by
 * trained tokens, global-norm clipping, AdamW on fp32 masters, a warmup + cosine schedule, fp16 loss
 * scaling, atomic checkpoints with exact resume, and a stop on NaN. On a GPU with the native extension on, fp32
 * matrix products run in TF32 ({@link NativeOps#allowTf32}), as the Hugging Face baseline runs them.
 *
 * <pre>{@code
 * Trainer.lora(model, adapter, sequences, TrainConfig.defaults(), Path.of("runs/tiny")).run(false);
 * }</pre>
 *
 * <p>What happens around a step is done by listeners ({@link TrainerListener}): the held-out loss, the
 * {@code metrics.jsonl} line, the progress bar and the checkpoint are the trainer's own; add yours with
 * {@link #addListener} (a live chart, a progress line). This file is the loop itself.
 *
 * <p>Why the loss is divided by the trained tokens of the whole accumulated step, not per micro-batch: a
 * per-micro-batch mean gives a short micro-batch's tokens more weight than a long one's, so accumulating
 * 4 × 1 differs from 1 × 4 (the bug Transformers fixed in 2024). Summing token losses and dividing once by
 * the step's token count makes any split give the same gradient.
 */
public final class Trainer {

  private final LlamaModel model;
  private final Map<String, NDArray> params; // the trainable fp32 masters, by name
  private final Consumer<Path> export;       // writes the final result (PEFT adapter or model weights)
  private final Batches batches;
  private final TrainConfig cfg;
  private final Path out;
  private boolean progress = true;
  private final List<TrainerListener> listeners = new ArrayList<>(); // the caller's, in the order added
  private int stopAfter = -1; // tests: simulate a crash after this many steps
  private int evalEvery = 0;  // 0 = no eval during training
  private List<Sequence> heldOut = List.of();

  private Trainer(LlamaModel model, Map<String, NDArray> params, Consumer<Path> export, List<Sequence> data,
                  TrainConfig cfg, Path out) {
    if (model.dtype() != cfg.baseDtype()) {
      throw new IllegalArgumentException("precision " + cfg.precision() + " needs the base loaded as "
          + cfg.baseDtype() + ", it is " + model.dtype());
    }
    this.model = model;
    this.params = params;
    this.export = export;
    this.batches = new Batches(data, cfg.microBatch(), cfg.gradAccum(), cfg.seed());
    this.cfg = cfg;
    this.out = out;
  }

  /** LoRA fine-tuning: trains the adapter's A/B only; the final adapter goes to {@code <out>/adapter/}. */
  public static Trainer lora(LlamaModel model, LoraAdapter adapter, List<Sequence> data, TrainConfig cfg, Path out) {
    if (model.dtype() != cfg.baseDtype()) { // a run trains in the precision it names, or not at all
      throw new IllegalArgumentException("the base runs in " + model.dtype() + " but precision " + cfg.precision()
          + " trains a " + cfg.baseDtype() + " base: load it with cfg.baseDtype(), or set the precision to match");
    }
    model.attach(adapter);
    return new Trainer(model, new LinkedHashMap<>(adapter.tensors()), dir -> adapter.save(dir.resolve("adapter")),
        data, cfg, out);
  }

  /** Full training of every base weight (pre-training the tiny base, fp32): the result is {@code model.safetensors}. */
  public static Trainer full(LlamaModel model, List<Sequence> data, TrainConfig cfg, Path out) {
    if (cfg.precisionKind() != Precision.FP32) {
      throw new IllegalArgumentException("full training keeps fp32 weights: use precision fp32, not "
          + cfg.precisionKind());
    }
    model.setBaseTrainable(true);
    return new Trainer(model, new LinkedHashMap<>(model.weights()),
        dir -> model.save(dir.resolve("model").resolve("model.safetensors")), data, cfg, out);
  }

  /** Turns the progress bar off (tests, notebooks with their own display). */
  public Trainer quiet() {
    progress = false;
    return this;
  }

  /**
   * Adds a listener that follows the run (a live chart, a progress line, a test's record): called after the
   * trainer's held-out loss, metrics line and progress bar, before the checkpoint; see {@link TrainerListener}.
   */
  public Trainer addListener(TrainerListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Calls {@code onStep} after every optimizer step, once its metrics line is written: a test collects the losses, a
   * notebook prints a line. Shorthand for {@code addListener(TrainerListener.everyStep(onStep))}.
   */
  public Trainer onStep(Consumer<StepReport> onStep) {
    return addListener(TrainerListener.everyStep(onStep));
  }

  /**
   * Measures the loss on held-out sequences every {@code steps} optimizer steps and after the last step of this
   * call: the completion-only token loss of {@link EvalLoss} (no dropout, no gradients), reported to the listeners
   * ({@link TrainerListener#onEval}) and written as {@code eval_loss} into that step's {@code metrics.jsonl} line
   * (Hugging Face's name, which {@link io.thinklab.curves.Metrics} reads; a diverged model's NaN is written as
   * {@code "NaN"}). Why it cannot change the run: the forward pass runs without dropout and draws no random numbers,
   * and the parameters are only read; the step's time and throughput exclude it. A rising eval loss under a falling
   * training loss is over-fitting.
   *
   * @param steps   evaluate after every this many steps (≥ 1)
   * @param heldOut sequences never trained on (tokenized like the training data)
   */
  public Trainer evalEvery(int steps, List<Sequence> heldOut) {
    if (steps < 1) {
      throw new IllegalArgumentException("evalEvery: steps must be ≥ 1, got " + steps);
    }
    if (heldOut == null || heldOut.isEmpty()) {
      throw new IllegalArgumentException("evalEvery: no held-out sequences");
    }
    for (Sequence s : heldOut) {
      if (s.trainedTokens() == 0) {
        throw new IllegalArgumentException("evalEvery: held-out sequence " + s.id() + " has no completion token");
      }
    }
    this.evalEvery = steps;
    this.heldOut = List.copyOf(heldOut);
    return this;
  }

  /** Tests only: stop (as if killed) after this many optimizer steps of this call, without a final save. */
  Trainer crashAfter(int steps) {
    stopAfter = steps;
    return this;
  }

  /** Optimizer steps of the whole run, epochs × steps per epoch: the length the lr schedule spans. */
  public int totalSteps() {
    return cfg.epochs() * batches.stepsPerEpoch();
  }

  /** {@link #totalSteps()} of a run on {@code data} with {@code cfg}, before any model exists. */
  public static int totalSteps(List<Sequence> data, TrainConfig cfg) {
    return cfg.epochs() * new Batches(data, cfg.microBatch(), cfg.gradAccum(), cfg.seed()).stepsPerEpoch();
  }

  /**
   * Where this call stops: {@code maxSteps} when set, else the end. Why the schedule ignores the cap: a run
   * stopped at N and resumed to 2N must replay an uninterrupted 2N-step run exactly, learning rates included.
   */
  public int stopStep() {
    return cfg.maxSteps() > 0 ? Math.min(totalSteps(), cfg.maxSteps()) : totalSteps();
  }

  /**
   * Runs to the end (or to {@code maxSteps}); with {@code resume}, first restores the newest checkpoint under
   * {@code out} and continues exactly where it was. Returns the steps this call ran.
   *
   * @throws TrainingDiverged when the loss or the gradients become NaN/inf (the last checkpoint stays)
   */
  public List<StepReport> run(boolean resume) {
    // PyTorch's grad mode is per thread and on by default; DJL switches it off only on the thread that loaded the
    // engine, and an Autograd recording restores the mode it found. On any other thread (a notebook cell, a worker)
    // the optimizer's in-place updates would then be recorded on the leaf parameters and fail. Off for the run.
    try (Autograd.Paused p = Autograd.pause()) {
      return runNoGrad(resume);
    }
  }

  private List<StepReport> runNoGrad(boolean resume) {
    // ---------------------------------------------------------------- set-up
    int total = totalSteps();
    int stop = stopStep();
    int warmup = LrSchedule.warmupSteps(cfg.warmupRatio(), total);
    LossScaler scaler = new LossScaler(cfg.precisionKind().scalesLoss());
    if (model.manager().getDevice().isGpu() && NativeOps.enabled()) {
      NativeOps.allowTf32(true);
    }
    int start = 0;
    double elapsed = 0;
    List<StepReport> done = new ArrayList<>();
    try (AdamW adam = new AdamW(params)) {
      if (!resume && !Checkpoints.list(Checkpoints.root(out)).isEmpty()) {
        throw new IllegalArgumentException(out + " already holds checkpoints: resume, or choose another --out");
      }
      if (resume) {
        Checkpoints.Loaded ck = Checkpoints.latest(out);
        if (ck != null) {
          restore(ck, adam);
          start = ck.state().step();
          scaler.restore(ck.state().lossScale(), ck.state().goodSteps());
          elapsed = ck.state().elapsedS();
        }
      }
      // a killed run may have logged steps after its last checkpoint: the metrics file keeps those ≤ start
      try (MetricsFile metrics = MetricsFile.open(out, start);
           ProgressBarListener bar = progress ? new ProgressBarListener() : null) {
        Listeners all = new Listeners(); // in the order they hear of each step (see TrainerListener)
        if (evalEvery > 0) {
          all.add(new HeldOutLoss(model, heldOut, cfg.microBatch(), evalEvery, all));
        }
        all.add(metrics);
        if (bar != null) {
          all.add(bar);
        }
        listeners.forEach(all::add);
        all.add(new CheckpointWriter(out, params, adam, scaler, cfg));
        all.onStart(start, stop);

        // ------------------------------------------------------------ the loop: one optimizer step each
        for (int step = start; step < stop; step++) {
          long t0 = System.nanoTime();
          List<int[]> micro = batches.step(step);
          long trained = batches.trainedTokens(micro); // the loss denominator for the whole step
          if (trained == 0) {
            throw new IllegalStateException("step " + (step + 1) + ": no trained tokens (all prompts, no completions?)");
          }
          long inputTokens = 0;
          double lr = LrSchedule.at(cfg.schedule(), cfg.lr(), step, total, warmup);
          double lossScale = scaler.scale();
          double norm;
          double lossSum;
          boolean skipped = false;
          // the step's arrays: the loss total, scalars made once per step, the optimizer's temporaries
          try (NDManager scratch = params.values().iterator().next().getManager().newSubManager()) {
            // the micro-batches' fp32 loss sums, added on the device in float64 (as a Java double would): no read
            NDArray lossTotal = scratch.zeros(new Shape(), DataType.FLOAT64);
            NDArray lossFactor = Ops.constant(scratch, DataType.FLOAT32, lossScale / trained); // Ops.scale's constant

            // forward + backward per micro-batch; gradients add up in .grad (DJL never zeroes them for us)
            for (int j = 0; j < micro.size(); j++) {
              try (NDManager sm = model.manager().newSubManager()) {
                Batches.Batch b = batches.collate(sm, micro.get(j));
                inputTokens += b.tokens();
                // dropout's randomness is a function of (seed, step, micro-batch, layer): a resume replays it
                model.setDropoutSeed(cfg.seed() * 7919 + step * 131L + j);
                if (cfg.gradientCheckpointing()) {
                  lossTotal.addi(model.forwardBackwardCheckpointedSum(b.ids(), b.mask(), b.labels(),
                      lossScale / trained, true));
                } else {
                  try (Autograd.Recording r = Autograd.record()) {
                    NDArray sum = model.lossSum(b.ids(), b.mask(), b.labels(), true); // fp32 scalar
                    lossTotal.addi(sum.toType(DataType.FLOAT64, false));      // exact widening
                    r.backward(sum.mul(lossFactor));
                  }
                }
              }
            }

            // unscale, measure, clip, update, zero: outside the collector, temporaries in the scratch manager
            List<NDArray> grads = new ArrayList<>();
            NDArray unscale = lossScale != 1 ? Ops.constant(scratch, DataType.FLOAT64, lossScale) : null;
            NDArray sq = scratch.zeros(new Shape(), DataType.FLOAT64); // Σ over parameters, in order, of fp32 Σg²
            for (NDArray p : params.values()) {
              NDArray g = p.getGradient();
              g.attach(scratch);
              if (unscale != null) {
                g.divi(unscale);
              }
              sq.addi(g.square().sum().toType(DataType.FLOAT64, false));
              grads.add(g);
            }
            // the step's one read from the device: its loss total and squared gradient norm together
            double[] read = NDArrays.stack(new NDList(lossTotal, sq)).toDoubleArray();
            lossSum = read[0];
            norm = Math.sqrt(read[1]);
            if (!Double.isFinite(lossSum)) {
              throw diverged(step, "loss is " + lossSum);
            }
            if (!Double.isFinite(norm)) {
              if (!scaler.enabled()) {
                throw diverged(step, "gradient norm is " + norm);
              }
              skipped = true; // fp16 overflow: skip this update, halve the scale (GradScaler's rule)
              scaler.overflowed();
            } else {
              if (cfg.maxGradNorm() > 0 && norm > cfg.maxGradNorm()) {
                NDArray coef = Ops.constant(scratch, DataType.FLOAT64, cfg.maxGradNorm() / (norm + 1e-6)); // torch's
                grads.forEach(g -> g.muli(coef));                                                          // clip
              }
              adam.step(lr, cfg.weightDecay(), scratch);
              scaler.updated();
            }
            NDArray zero = scratch.zeros(new Shape(), DataType.FLOAT32); // one 0-d zero, not a host 0 per tensor
            for (NDArray g : grads) {
              g.set(new NDIndex("..."), zero); // in place on .grad; a NaN-safe zero
            }
          }

          // ------------------------------------------------------------ report the step to the listeners
          double seconds = (System.nanoTime() - t0) / 1e9;
          elapsed += seconds;
          StepReport st = new StepReport(step + 1, batches.epochAfter(step), lossSum / trained, lr, norm, trained,
              inputTokens / seconds, elapsed, scaler.scale(), skipped);
          done.add(st);
          all.onStep(st); // held-out loss, metrics line, progress bar, yours, checkpoint
          if (stopAfter > 0 && done.size() == stopAfter && step + 1 < stop) {
            return done; // simulated kill: no final export
          }
        }
        export.accept(out);
        all.onEnd(done);
        return done;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(out + ": " + e.getMessage(), e);
    }
  }

  private TrainingDiverged diverged(int step, String what) {
    String last;
    try {
      List<Path> all = Checkpoints.list(Checkpoints.root(out));
      last = all.isEmpty() ? "none yet" : all.get(all.size() - 1).toString();
    } catch (IOException e) {
      last = "unknown";
    }
    return new TrainingDiverged(step + 1, "step " + (step + 1) + ": " + what + "; training stopped. Last good"
        + " checkpoint: " + last + ". Try a lower lr, a smaller max_grad_norm, or fp32.");
  }

  private void restore(Checkpoints.Loaded ck, AdamW adam) {
    if (ck.state().seed() != cfg.seed()) {
      throw new IllegalArgumentException(ck.dir() + ": written with seed " + ck.state().seed() + ", this run has "
          + cfg.seed() + "; an exact resume needs the same seed");
    }
    for (var e : params.entrySet()) {
      float[] v = ck.params().get(e.getKey());
      if (v == null || v.length != e.getValue().getShape().size()) {
        throw new IllegalArgumentException(ck.dir() + ": no matching '" + e.getKey() + "' (another model or adapter?)");
      }
      e.getValue().set(v);
    }
    adam.restore(ck.optimizer(), ck.state().step());
  }
}
