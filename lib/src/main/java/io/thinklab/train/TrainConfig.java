package io.thinklab.train;

import ai.djl.ndarray.types.DataType;

/**
 * The settings of one training run (the {@code train:} block of a run file, plus the loop's own knobs).
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
 * @param precision       {@code fp32} or {@code fp16} (frozen base in fp16, fp32 masters, loss scaling)
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
    require(precision.equals("fp32") || precision.equals("fp16"), "precision must be fp32 or fp16 on this engine"
        + " (DJL's PyTorch engine has no bf16), not '" + precision + "'");
    require(checkpointEvery >= 0 && keepCheckpoints > 0, "checkpoint_every ≥ 0 and keep_checkpoints > 0");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("train: " + message);
    }
  }

  /** Small, CPU-friendly defaults: micro-batch 4 × 2, 2 epochs, lr 1e-3 cosine with 5% warmup, clip 1.0, fp32. */
  public static TrainConfig defaults() {
    return new TrainConfig(4, 2, 2, 0, 1e-3, "cosine", 0.05, 0.0, 1.0, "fp32", 42, 0, 2, false);
  }

  /**
   * A run file's {@code train:} block with the loop's own knobs.
   *
   * @param precision fp32 or fp16 (the caller maps a run file's bf16, which this engine lacks)
   */
  public static TrainConfig fromRun(io.thinklab.run.RunFile.Train t, String precision, int maxSteps,
                                    double weightDecay, double maxGradNorm, long seed, int checkpointEvery,
                                    int keepCheckpoints) {
    return new TrainConfig(t.microBatch(), t.gradAccum(), t.epochs(), maxSteps, t.lr(), t.schedule(),
        t.warmupRatio(), weightDecay, maxGradNorm, precision, seed, checkpointEvery, keepCheckpoints,
        t.gradientCheckpointing());
  }

  /**
   * A run file's {@code train:} block with {@code thinklab train}'s defaults for the loop: no step cap, weight
   * decay 0, clipping 1.0, seed 42, a checkpoint every 50 steps, the last 2 kept.
   */
  public static TrainConfig fromRun(io.thinklab.run.RunFile.Train t, String precision) {
    return fromRun(t, precision, 0, 0.0, 1.0, 42, 50, 2);
  }

  /** The dtype the frozen base runs in. */
  public DataType baseDtype() {
    return precision.equals("fp16") ? DataType.FLOAT16 : DataType.FLOAT32;
  }

  public TrainConfig withMaxSteps(int steps) {
    return new TrainConfig(microBatch, gradAccum, epochs, steps, lr, schedule, warmupRatio, weightDecay, maxGradNorm,
        precision, seed, checkpointEvery, keepCheckpoints, gradientCheckpointing);
  }

  public TrainConfig withCheckpointEvery(int every) {
    return new TrainConfig(microBatch, gradAccum, epochs, maxSteps, lr, schedule, warmupRatio, weightDecay,
        maxGradNorm, precision, seed, every, keepCheckpoints, gradientCheckpointing);
  }

  public TrainConfig withBatching(int micro, int accum) {
    return new TrainConfig(micro, accum, epochs, maxSteps, lr, schedule, warmupRatio, weightDecay, maxGradNorm,
        precision, seed, checkpointEvery, keepCheckpoints, gradientCheckpointing);
  }

  public TrainConfig withPrecision(String p) {
    return new TrainConfig(microBatch, gradAccum, epochs, maxSteps, lr, schedule, warmupRatio, weightDecay,
        maxGradNorm, p, seed, checkpointEvery, keepCheckpoints, gradientCheckpointing);
  }

  public TrainConfig withGradientCheckpointing(boolean on) {
    return new TrainConfig(microBatch, gradAccum, epochs, maxSteps, lr, schedule, warmupRatio, weightDecay,
        maxGradNorm, precision, seed, checkpointEvery, keepCheckpoints, on);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(microBatch, gradAccum, epochs, maxSteps, lr, schedule, warmupRatio, weightDecay,
        maxGradNorm, precision, s, checkpointEvery, keepCheckpoints, gradientCheckpointing);
  }

  public TrainConfig withEpochs(int n) {
    return new TrainConfig(microBatch, gradAccum, n, maxSteps, lr, schedule, warmupRatio, weightDecay,
        maxGradNorm, precision, seed, checkpointEvery, keepCheckpoints, gradientCheckpointing);
  }

  public TrainConfig withLr(double peak) {
    return new TrainConfig(microBatch, gradAccum, epochs, maxSteps, peak, schedule, warmupRatio, weightDecay,
        maxGradNorm, precision, seed, checkpointEvery, keepCheckpoints, gradientCheckpointing);
  }
}
