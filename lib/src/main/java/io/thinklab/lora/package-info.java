/**
 * LoRA (low-rank adaptation) exactly as Hugging Face PEFT defines it, so adapters move between ThinkLab
 * and PEFT: {@link io.thinklab.lora.LoraConfig} is PEFT's {@code adapter_config.json};
 * {@link io.thinklab.lora.LoraAdapter} holds the trainable A/B matrices, computes the update, merges it
 * into the base weights and saves/loads {@code adapter_model.safetensors} under PEFT's tensor names.
 *
 * <p>Reference: Hu et al., "LoRA: Low-Rank Adaptation of Large Language Models" (2021); rsLoRA: Kalajdzievski,
 * "A Rank Stabilization Scaling Factor for Fine-Tuning with LoRA" (2023).
 */
package io.thinklab.lora;
