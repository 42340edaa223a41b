/**
 * A run file's inputs as every stage sees them: {@link io.thinklab.run.RunSources} says where a run's data and
 * tokenizer are (the same places for the preflight and the trainer), {@link io.thinklab.run.RunRows} which rows of a
 * dataset the run uses, in which order. The preflight measures exactly the rows {@code thinklab train} trains on.
 *
 * <p>The run file itself ({@link io.thinklab.preflight.RunFile}, read with {@link io.thinklab.preflight.RunFiles})
 * still lives in {@code io.thinklab.preflight}, where the notebooks import it from.
 */
package io.thinklab.run;
