/**
 * Generation: text from a {@link io.thinklab.model.LlamaModel} (base, base + unmerged LoRA, or merged) with a
 * key/value cache, Java-side sampling (greedy, temperature, top-k, top-p, seeded), batches of prompts with
 * left padding, stop rules with the reason reported per sample, and streaming through a {@link
 * io.thinklab.generate.TokenListener}. Start with {@link io.thinklab.generate.Generator}.
 */
package io.thinklab.generate;
