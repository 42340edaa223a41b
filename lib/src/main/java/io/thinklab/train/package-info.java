/**
 * Supervised fine-tuning: the loop that turns (prompt, completion) token sequences into a trained LoRA
 * adapter (or, for the tiny base, trained weights).
 *
 * <p>{@link io.thinklab.train.Trainer} is the loop, readable top to bottom; around it:
 * {@link io.thinklab.train.TrainConfig} (its settings), {@link io.thinklab.train.Sequence} (one tokenized
 * example with its loss mask), {@link io.thinklab.train.Batches} (length-grouped, deterministic order),
 * {@link io.thinklab.train.AdamW}, {@link io.thinklab.train.LrSchedule}, {@link io.thinklab.train.Checkpoints}.
 */
package io.thinklab.train;
