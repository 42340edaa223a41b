package io.thinklab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Forward and backward of a {@link LlamaModel} with gradient checkpointing: the summed token loss (as
 * {@link NextTokenLoss#sum}, a float64 0-d array left on the device) and, accumulated into every trainable array, the gradients of
 * {@code gradScale · loss}, exactly as a plain forward + backward would give (with a dropout seed set, even the
 * dropout masks are the same). {@link LlamaModel#forwardBackwardCheckpointed} calls it; use that when a batch's
 * activations do not fit in memory.
 *
 * <p>Why: backward needs every block's activations, and attention's (B, nh, T, T) probabilities make them
 * grow with T² (DJL has no fused attention). Here the first pass runs without autograd and keeps only each
 * block's input (B, T, H); then, from the last block down, one block at a time is recomputed with autograd
 * and back-propagated with the gradient arriving from above: {@code backward(Σ out ⊙ upstream)} has exactly
 * {@code upstream} as the gradient of {@code out}. Memory: one block's activations instead of all of them,
 * for one extra forward pass.
 *
 * <p>Call it outside an {@link Autograd} recording: it records its own, one block at a time.
 */
final class CheckpointedBackward {
  private CheckpointedBackward() {}

  static NDArray run(LlamaModel model, NDArray ids, NDArray attentionMask, NDArray labels, double gradScale,
                    boolean training) {
    LlamaConfig config = model.config();
    NDManager sm = ids.getManager();
    long t = ids.getShape().get(1);
    NDArray[] cosSin = model.rotary(sm, t);
    NDArray mask = AttentionMask.additive(sm, 0, t, attentionMask);

    // 1. a forward pass without autograd that keeps each block's input
    NDArray[] inputs = new NDArray[config.numLayers()];
    NDArray x = Ops.embedding(ids, model.embeddings(sm));                                    // (B, T, H)
    for (int i = 0; i < config.numLayers(); i++) {
      inputs[i] = x;
      model.seedDropout(i, training);
      x = model.blockScoped(i, x, cosSin[0], cosSin[1], mask, training, sm);
    }

    // 2. the head: final norm, LM head and loss, a slice of positions at a time so that the (B, T, V) logits
    //    (V = 166,144 for Nanbeige) never exist whole; each slice back-propagates into its own hidden slice
    long b = ids.getShape().get(0);
    NDArray targets = NextTokenLoss.alignedTargets(labels);                                   // (B, T): t scores t+1
    long chunk = Math.max(1, model.headChunkLogits / (b * config.vocabSize()));
    NDArray loss = sm.zeros(new Shape(), DataType.FLOAT64); // the slices' fp32 sums, added on the device
    NDArray scale = Ops.constant(sm, DataType.FLOAT32, gradScale); // one constant for every slice
    NDList upstreamParts = new NDList();
    for (long from = 0; from < t; from += chunk) {
      long to = Math.min(t, from + chunk);
      try (NDManager cm = sm.newSubManager()) { // the slice's logits are freed before the next slice
        NDArray xc = x.get(new NDIndex(":, {}:{}, :", from, to)).duplicate();                  // (B, c, H) leaf
        xc.attach(cm);
        xc.setRequiresGradient(true);
        try (Autograd.Recording gc = Autograd.record()) {
          NDArray sum = model.headLossSum(model.finalNorm(xc), targets.get(new NDIndex(":, {}:{}", from, to)));
          loss.addi(sum.toType(DataType.FLOAT64, false)); // exact widening; no autograd needed here
          gc.backward(sum.mul(scale));                     // = Ops.scale(sum, gradScale): the loss is fp32
        }
        NDArray g = xc.getGradient();
        g.attach(sm);
        upstreamParts.add(g);
      }
    }
    NDArray upstream = NDArrays.concat(upstreamParts, 1);                                      // (B, T, H)

    // 3. blocks from the top down: recompute with autograd, back-propagate the gradient from above
    for (int i = config.numLayers() - 1; i >= 0; i--) {
      NDArray in = inputs[i];
      NDArray above = upstream;
      try (NDManager bm = sm.newSubManager()) { // this block's recomputed activations die with bm
        in.tempAttach(bm);
        in.setRequiresGradient(true);
        try (Autograd.Recording gc = Autograd.record()) {
          model.seedDropout(i, training);
          NDArray out = model.block(i, in, cosSin[0], cosSin[1], mask, training, null);
          gc.backward(Ops.cast(out, DataType.FLOAT32).mul(Ops.cast(above, DataType.FLOAT32)).sum());
        }
        upstream = in.getGradient();
        upstream.attach(sm);
      }
      above.close();
      if (i > 0) {
        in.close(); // block i's input is block i−1's output: no longer needed (the embedding output is kept)
      }
    }

    // 4. the embedding, only when it trains (pre-training, or an adapter's replaced rows)
    if (model.embeddingTrains()) {
      try (Autograd.Recording gc = Autograd.record()) {
        NDArray e = Ops.embedding(ids, model.embeddings(sm));
        gc.backward(Ops.cast(e, DataType.FLOAT32).mul(Ops.cast(upstream, DataType.FLOAT32)).sum());
      }
    }
    return loss;
  }
}
