/**
 * A run file and what it names, as every stage sees it: below the preflight and the trainer, which both read it.
 * {@link io.thinklab.run.RunFile} is the schema (one per model × dataset × purpose), read and checked with
 * {@link io.thinklab.run.RunFiles} (defaults, {@code --set} overrides, unknown keys rejected);
 * {@link io.thinklab.run.ModelProfiles} turns its {@code model:} into a shape; {@link io.thinklab.run.RunSources}
 * says where its data and tokenizer are (the same places for the preflight and the trainer), and
 * {@link io.thinklab.run.RunRows} which rows of a dataset the run uses, in which order. The preflight measures
 * exactly the rows {@code thinklab train} trains on.
 *
 * <pre>{@code
 * RunFile run = RunFiles.resolve("tiny-opus-cpu", List.of("data.0.max_rows=160"));
 * LlamaConfig shape = ModelProfiles.resolve(run.model());
 * }</pre>
 */
package io.thinklab.run;
