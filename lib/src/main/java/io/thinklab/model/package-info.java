/**
 * The Llama-architecture language model: {@link io.thinklab.model.LlamaConfig} (its shape, from a Hugging Face
 * {@code config.json}), {@link io.thinklab.model.LlamaModel} (weights and forward pass, one readable file) and
 * {@link io.thinklab.model.Ops} (the few PyTorch kernels DJL's array API lacks: linear, embedding, a
 * differentiable cast, softmax in a chosen dtype, dropout).
 */
package io.thinklab.model;
