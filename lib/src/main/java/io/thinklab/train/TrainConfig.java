package io.thinklab.train;

import ai.djl.ndarray.types.DataType;

/**
 * The settings of one training run: the {@code train:} block of a run file plus the loop's own knobs. Write one with
 * the {@link #builder()}, whose defaults are the only ones in ThinkLab ({@code thinklab train}'s {@code --set} knobs
 * default to them too); change one setting of an existing config with a {@code with…} method.
 *
 * <pre>{@code
 * TrainConfig cfg = TrainConfig.builder().batch(16, 1).epochs(1).maxSteps(60).lr(5e-3).seed(42).build();
 * TrainConfig run = TrainConfig.fromRun(runFile.train(), "fp32").withMaxSteps(20);
 * }</pre>
 *
 * @param microBatch      sequences per forward/backward pass
 * @param gradAccum       micro-batches per optimizer step
 * @param epochs          passes over the data
 * @param maxSteps        stop after this many optimizer steps (0 = run all epochs); the schedule still spans
 *                        all epochs, so a capped run resumes into the full one exactly
 * @param lr              peak learning rate
 * @param schedule        {@code cosine}, {@code linear} or {@code constant}, after a linear warmup
 * @param warmupRatio     share of the steps spent warming up (HF: ceil(ratio · total))
 * @param weightDecay     AdamW's decoupled weight decay (Transformers' default 0)
 * @param maxGradNorm     global-norm clipping threshold (0 = off; Transformers' default 1.0)
 * @param precision       {@code fp32}, {@code fp16} or {@code bf16}, as a run file and {@code run.json} spell it;
 *                        typed as {@link #precisionKind()} ({@link Precision})
 * @param seed            seeds data order and dropout: equal seeds give equal runs
 * @param checkpointEvery write a checkpoint every this many steps (0 = only at the end)
 * @param keepCheckpoints how many recent checkpoints to keep
 * @param gradientCheckpointing recompute each block in the backward pass (memory ∝ one block, +1 forward)
 */
public record TrainConfig(int microBatch, int gradAccum, int epochs, int maxSteps, double lr, String schedule,
                          double warmupRatio, double weightDecay, double maxGradNorm, String precision, long seed,
                          int checkpointEvery, int keepCheckpoints, boolean gradientCheckpointing) {

  public TrainConfig {
    require(microBatch > 0, "micro_batch must be positive");
    require(gradAccum > 0, "grad_accum must be positive");
    require(epochs > 0, "epochs must be positive");
    require(maxSteps >= 0, "max_steps must be ≥ 0");
    require(lr > 0 && Double.isFinite(lr), "lr must be positive");
    require(schedule.equals("cosine") || schedule.equals("linear") || schedule.equals("constant"),
        "schedule must be cosine, linear or constant, not '" + schedule + "'");
    require(warmupRatio >= 0 && warmupRatio < 1, "warmup_ratio must be in [0, 1)");
    require(weightDecay >= 0, "weight_decay must be ≥ 0");
    require(maxGradNorm >= 0, "max_grad_norm must be ≥ 0");
    precision = Precision.parse(precision).key();
    require(checkpointEvery >= 0 && keepCheckpoints > 0, "checkpoint_every ≥ 0 and keep_checkpoints > 0");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("train: " + message);
    }
  }

  /**
   * A builder holding ThinkLab's defaults, small and CPU-friendly: micro-batch 4 × 2, 2 epochs, no step cap, lr 1e-3
   * cosine with 5 % warmup, no weight decay, clipping at 1.0, fp32, seed 42, a checkpoint every 50 steps (and at the
   * end), the last 2 kept, no gradient checkpointing.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@link #builder()}'s defaults as a config. */
  public static TrainConfig defaults() {
    return builder().build();
  }

  /** A builder starting from this config's settings. */
  public Builder toBuilder() {
    return new Builder().batch(microBatch, gradAccum).epochs(epochs).maxSteps(maxSteps).lr(lr).schedule(schedule)
        .warmupRatio(warmupRatio).weightDecay(weightDecay).maxGradNorm(maxGradNorm)
        .precision(Precision.parse(precision)).seed(seed).checkpoints(checkpointEvery, keepCheckpoints)
        .gradientCheckpointing(gradientCheckpointing);
  }

  /**
   * A run file's {@code train:} block (batching, epochs, lr, schedule, warmup, gradient checkpointing) over the
   * {@link #builder()}'s defaults for the loop's own knobs, in {@code precision} ({@code fp32}, {@code fp16} or
   * {@code bf16}: the caller maps a run file's bf16 with {@link Precision#forRunFile}).
   */
  public static TrainConfig fromRun(io.thinklab.run.RunFile.Train t, String precision) {
    return fromRun(t, Precision.parse(precision)).build();
  }

  /** The same as a builder, to set the loop's knobs too. */
  public static Builder fromRun(io.thinklab.run.RunFile.Train t, Precision precision) {
    return builder().batch(t.microBatch(), t.gradAccum()).epochs(t.epochs()).lr(t.lr()).schedule(t.schedule())
        .warmupRatio(t.warmupRatio()).precision(precision).gradientCheckpointing(t.gradientCheckpointing());
  }

  /** {@link #precision()} as the enum. */
  public Precision precisionKind() {
    return Precision.parse(precision);
  }

  /** The dtype the frozen base runs in. */
  public DataType baseDtype() {
    return precisionKind().baseDtype();
  }

  public TrainConfig withMaxSteps(int steps) {
    return toBuilder().maxSteps(steps).build();
  }

  public TrainConfig withCheckpointEvery(int every) {
    return toBuilder().checkpoints(every, keepCheckpoints).build();
  }

  public TrainConfig withBatching(int micro, int accum) {
    return toBuilder().batch(micro, accum).build();
  }

  public TrainConfig withPrecision(Precision p) {
    return toBuilder().precision(p).build();
  }

  /** {@link #withPrecision(Precision)} by name, {@code fp32}, {@code fp16} or {@code bf16}. */
  public TrainConfig withPrecision(String p) {
    return withPrecision(Precision.parse(p));
  }

  public TrainConfig withGradientCheckpointing(boolean on) {
    return toBuilder().gradientCheckpointing(on).build();
  }

  public TrainConfig withSeed(long s) {
    return toBuilder().seed(s).build();
  }

  public TrainConfig withEpochs(int n) {
    return toBuilder().epochs(n).build();
  }

  public TrainConfig withLr(double peak) {
    return toBuilder().lr(peak).build();
  }

  /**
   * Writes a {@link TrainConfig} setting by setting; every setting has its default (see {@link #builder()}), and
   * {@link #build()} checks the whole.
   */
  public static final class Builder {
    private int microBatch = 4;
    private int gradAccum = 2;
    private int epochs = 2;
    private int maxSteps = 0;
    private double lr = 1e-3;
    private String schedule = "cosine";
    private double warmupRatio = 0.05;
    private double weightDecay = 0.0;
    private double maxGradNorm = 1.0;
    private Precision precision = Precision.FP32;
    private long seed = 42;
    private int checkpointEvery = 50;
    private int keepCheckpoints = 2;
    private boolean gradientCheckpointing = false;

    private Builder() {}

    /** Sequences per forward/backward pass, and micro-batches per optimizer step (default 4 × 2). */
    public Builder batch(int microBatch, int gradAccum) {
      this.microBatch = microBatch;
      this.gradAccum = gradAccum;
      return this;
    }

    /** Passes over the data (default 2). */
    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /** Stop after this many optimizer steps; the schedule still spans every epoch (default 0: no cap). */
    public Builder maxSteps(int maxSteps) {
      this.maxSteps = maxSteps;
      return this;
    }

    /** Peak learning rate (default 1e-3). */
    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    /** {@code cosine} (default), {@code linear} or {@code constant} after the warmup. */
    public Builder schedule(String schedule) {
      this.schedule = schedule;
      return this;
    }

    /** Share of the steps spent warming up (default 0.05). */
    public Builder warmupRatio(double warmupRatio) {
      this.warmupRatio = warmupRatio;
      return this;
    }

    /** AdamW's decoupled weight decay (default 0, as Transformers). */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** Global gradient-norm clipping threshold, 0 = off (default 1.0, as Transformers). */
    public Builder maxGradNorm(double maxGradNorm) {
      this.maxGradNorm = maxGradNorm;
      return this;
    }

    /** {@link Precision#FP32} (default), {@link Precision#FP16} or {@link Precision#BF16}. */
    public Builder precision(Precision precision) {
      this.precision = precision;
      return this;
    }

    /** Seeds the data order, dropout and a random base: equal seeds give equal runs (default 42). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** A checkpoint every {@code every} steps, 0 = only at the end, the last {@code keep} kept (default 50, 2). */
    public Builder checkpoints(int every, int keep) {
      this.checkpointEvery = every;
      this.keepCheckpoints = keep;
      return this;
    }

    /** Recompute each block in the backward pass: memory for one block's activations, one more forward (default off). */
    public Builder gradientCheckpointing(boolean on) {
      this.gradientCheckpointing = on;
      return this;
    }

    /** The config; throws {@link IllegalArgumentException} naming the first impossible setting. */
    public TrainConfig build() {
      return new TrainConfig(microBatch, gradAccum, epochs, maxSteps, lr, schedule, warmupRatio, weightDecay,
          maxGradNorm, precision.key(), seed, checkpointEvery, keepCheckpoints, gradientCheckpointing);
    }
  }
}
