/**
 * Benchmarks against the peer: the same LoRA training step in ThinkLab and in Transformers + PEFT, on the
 * same machine, in the same run. A benchmark measures, it never asserts: figures go to
 * {@code docs/performance.md} with the machine and the load they came from.
 *
 * <p>{@link io.thinklab.bench.LoraStep} runs ThinkLab's side (the real {@link io.thinklab.train.Trainer} on a
 * random model of a named shape) and writes the shape's {@code config.json} + {@code adapter_config.json} for the
 * peer ({@code environment/peer/peft_step.py}), so both sides read one definition. {@code environment/lab bench
 * train} drives both and prints the ratio.
 */
package io.thinklab.bench;
