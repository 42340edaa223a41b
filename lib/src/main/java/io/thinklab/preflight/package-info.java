/**
 * Preflight: check a run file (model, tokenizer, data, cutoff and policy, LoRA, batch, device, price) before a GPU
 * is rented, one verdict line per check, FAIL when the run would waste its money.
 *
 * <p>Start with {@link io.thinklab.run.RunFiles#resolve} and {@link io.thinklab.preflight.Preflight#check};
 * the schema is documented on {@link io.thinklab.run.RunFile}.
 */
package io.thinklab.preflight;
