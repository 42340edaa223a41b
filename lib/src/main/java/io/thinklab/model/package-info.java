/**
 * The Llama-architecture language model: {@link io.thinklab.model.LlamaConfig} (its shape, from a Hugging Face
 * {@code config.json}), {@link io.thinklab.model.LlamaModel} (the forward pass, one readable file), and beside it
 * {@link io.thinklab.model.LlamaWeights} (names, shapes, loading, random init), {@code Rope} (rotary positions),
 * {@code Attention} (scaled dot-product attention, GQA), {@code AttentionMask} (causal and padding mask),
 * {@link io.thinklab.model.NextTokenLoss} (the completion-only training loss), {@code CheckpointedBackward}
 * (gradient checkpointing), {@link io.thinklab.model.KvCache} (decoding) and {@link io.thinklab.model.Ops} (the
 * few PyTorch kernels DJL's array API lacks: linear, embedding, a differentiable cast, softmax in a chosen dtype,
 * SwiGLU, dropout); {@link io.thinklab.model.NativeOps} is the opt-in native extension (fused attention, RMSNorm,
 * rotary, SwiGLU, cast) those ops hand over to when THINKLAB_NATIVE is set.
 * {@link io.thinklab.model.Autograd} records and back-propagates per thread, or pauses recording for inference.
 * {@link io.thinklab.model.Adapter} is all the model knows of an adapter: LoRA lives above, in
 * {@code io.thinklab.lora}.
 */
package io.thinklab.model;
