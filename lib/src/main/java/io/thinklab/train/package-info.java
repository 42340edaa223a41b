/**
 * Supervised fine-tuning: the loop that turns (prompt, completion) token sequences into a trained LoRA
 * adapter (or, for the tiny base, trained weights).
 *
 * <p>Start with {@link io.thinklab.train.LoraRecipe}: a run file (or sequences on a base folder) to data, base model,
 * adapter, settings, trainer and result, the way {@code thinklab train}, the notebooks and the ablations all train.
 * {@link io.thinklab.train.Trainer} is the loop, readable top to bottom; what happens around each step (the held-out
 * loss, the {@code metrics.jsonl} line, the progress bar, checkpoints, a notebook's live chart) is done by
 * {@link io.thinklab.train.TrainerListener}s. Around the loop:
 * {@link io.thinklab.train.TrainConfig} (its settings, written with {@link io.thinklab.train.TrainConfig#builder()},
 * which holds every default), {@link io.thinklab.train.TrainData} (a run file's rows, tokenized),
 * {@link io.thinklab.train.Sequence} (one tokenized example with its loss mask), {@link io.thinklab.train.Batches}
 * (length-grouped, deterministic order), {@link io.thinklab.train.AdamW}, {@link io.thinklab.train.LrSchedule},
 * {@link io.thinklab.train.Checkpoints}, {@link io.thinklab.train.EvalLoss} (the held-out loss) and
 * {@link io.thinklab.train.RunDirs} (output folders).
 */
package io.thinklab.train;
