package io.thinklab.preflight;

import io.thinklab.model.LlamaConfig;
import java.util.List;

/**
 * Size, memory and compute of a LoRA run on a Llama model, from its shape alone. Every formula is stated where it
 * is used, so a reader can redo the arithmetic.
 */
public final class Estimates {

  private Estimates() {}

  /**
   * Model-FLOPs utilisation measured, not assumed: the time estimate's default (a run file's {@code device.mfu}
   * overrides it). Measured by the seed's run, TRL + PEFT on one H100: Nanbeige4-3B-Base, LoRA r 16 on q/k/v/o,
   * bf16, gradient checkpointing, 4 × 4 sequences of 2,048 tokens per optimizer step, 2.79 s per step. Its FLOPs per
   * step by {@link #flops} (recomputation counted) are 7.79e14; divided by 2.79 s × 989 TFLOP/s (the H100's dense
   * bf16 peak) that is 28.2 %. {@code MeasuredMfuTest} redoes this arithmetic. A figure of one software stack on one
   * card: other cards and ThinkLab's own trainer (not yet measured on a GPU) may differ.
   */
  public static final double MEASURED_MFU = 0.2825;

  /**
   * Trainable LoRA parameters: each targeted linear {@code W[out, in]} gains {@code A[r, in]} and {@code B[out, r]},
   * so {@code layers * sum over targets of r * (in + out)}. Nanbeige4-3B, r 16, q/k/v/o: 8,388,608.
   *
   * @throws IllegalArgumentException for a target the model does not have
   */
  public static long loraParameters(LlamaConfig m, int r, List<String> targets) {
    long perLayer = 0;
    for (String t : targets) {
      int[] shape = m.blockLinearShapes().get(t);
      if (shape == null) {
        throw new IllegalArgumentException("lora target '" + t + "' is not a linear layer of a Llama block "
            + m.blockLinearShapes().keySet());
      }
      perLayer += (long) r * (shape[0] + shape[1]);
    }
    return perLayer * m.numLayers();
  }

  /** Bytes per element of a precision name. */
  public static int bytesPer(String precision) {
    return "fp32".equals(precision) ? 4 : 2;
  }

  /**
   * Memory of one training step, in bytes, by part.
   *
   * @param weights     frozen weights: all parameters in the run's precision
   * @param lora        adapters: fp32 master weights (4) + fp32 gradients (4) + AdamW's two moments (8), plus a
   *                    working copy in the run's precision: {@code (16 + p) * N_lora}
   * @param blocks      stored block activations for backward. Per token per layer the saved tensors are the two
   *                    norm outputs, q, k, v (after RoPE and before), attention output and the four MLP tensors:
   *                    {@code (5h + 3kv + 4I) * p}. Without checkpointing all layers keep theirs; with it, layers
   *                    keep only their input ({@code h * p}) and one layer at a time recomputes the rest
   * @param attention   full attention score matrices (no fused attention in the DJL engine): per sequence, head
   *                    and layer an {@code S x S} matrix of fp32 softmax output plus its copy in precision for the
   *                    value matmul: {@code (4 + p) * S^2}; all layers, or one with checkpointing
   * @param logits      fp32 logits and their gradient: {@code 8 * B * S * vocab}
   * @param overhead    CUDA context, allocator slack and workspace: 1 GiB on a GPU, 0 on the CPU
   */
  public record Memory(long weights, long lora, long blocks, long attention, long logits, long overhead) {
    /** The sum of all parts. */
    public long total() {
      return weights + lora + blocks + attention + logits + overhead;
    }
  }

  /**
   * Peak memory for micro-batch {@code b} at sequence length {@code s} (the longest micro-batch, padded).
   */
  public static Memory memory(LlamaConfig m, long loraParams, String precision, int b, int s, boolean checkpointing,
                              boolean gpu) {
    int p = bytesPer(precision);
    long h = m.hiddenSize();
    long kv = (long) m.numKvHeads() * m.headDim();
    long inter = m.intermediateSize();
    long tokens = (long) b * s;
    long perTokenLayer = (5 * h + 3 * kv + 4 * inter) * p;
    long scoresOneLayer = (long) b * m.numHeads() * s * (long) s * (4 + p);
    long blocks = checkpointing ? m.numLayers() * tokens * h * p + tokens * perTokenLayer
        : m.numLayers() * tokens * perTokenLayer;
    long attention = checkpointing ? scoresOneLayer : m.numLayers() * scoresOneLayer;
    long logits = 8L * tokens * m.vocabSize();
    return new Memory(m.totalParameters() * p, (16L + p) * loraParams, blocks, attention, logits,
        gpu ? 1L << 30 : 0);
  }

  /**
   * FLOPs of training on {@code tokens} tokens whose padded sequences have a summed squared length
   * {@code sumSquares} (sum over sequences of S^2).
   *
   * <p>Convention: a matmul with N weights costs 2·N FLOPs per token forward. Frozen weights run forward (2·N·T)
   * and backward through the activations only (2·N·T, no weight gradient): {@code 4·N·T}, plus another
   * {@code 2·N·T} when checkpointing recomputes the forward. N counts the linear layers and the LM head, not
   * the embedding lookup. Adapters train fully: {@code 6·N_lora·T}. Attention (QK^T and AV, full S×S matrices
   * as computed without a fused kernel): {@code 4·L·d·S^2} forward per sequence (d = heads·head_dim), three
   * times that for forward + backward, four with checkpointing.
   */
  public static double flops(LlamaConfig m, long loraParams, double tokens, double sumSquares, boolean checkpointing) {
    double nFrozen = m.nonEmbeddingParameters() + (double) m.vocabSize() * m.hiddenSize();
    double frozen = (checkpointing ? 6 : 4) * nFrozen * tokens;
    double adapters = 6.0 * loraParams * tokens;
    double attention = (checkpointing ? 4 : 3) * 4.0 * m.numLayers() * m.numHeads() * m.headDim() * sumSquares;
    return frozen + adapters + attention;
  }
}
