package io.thinklab.train;

import ai.djl.ndarray.NDManager;
import io.thinklab.model.Autograd;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.NextTokenLoss;
import java.util.List;

/**
 * Held-out loss with the training loss: completion-only labels ({@link Tokenize}), summed token cross-entropy
 * ({@link NextTokenLoss#sum}) divided by the trained tokens of all examples. Lower than the base model's means the
 * adapter learned the held-out examples' format and content. The trainer measures it during a run
 * ({@link Trainer#evalEvery}); the evaluation reports it beside the generated answers.
 */
public final class EvalLoss {
  private EvalLoss() {}

  /** Mean token loss over {@code data}, {@code microBatch} examples per forward (right-padded as in training). */
  public static double of(LlamaModel model, List<Sequence> data, int microBatch) {
    try (Autograd.Paused p = Autograd.pause()) { // reads the model only: no graph, on any thread
      return meanLoss(model, data, microBatch);
    }
  }

  private static double meanLoss(LlamaModel model, List<Sequence> data, int microBatch) {
    Batches batches = new Batches(data, microBatch, 1, 0);
    double sum = 0;
    long trained = 0;
    for (int from = 0; from < data.size(); from += microBatch) {
      int[] idx = java.util.stream.IntStream.range(from, Math.min(data.size(), from + microBatch)).toArray();
      try (NDManager sm = model.manager().newSubManager()) {
        Batches.Batch b = batches.collate(sm, idx);
        sum += NextTokenLoss.sum(model.forward(b.ids(), b.mask(), false), b.labels()).getFloat();
        trained += NextTokenLoss.trainedTokens(b.labels());
      }
    }
    return sum / trained;
  }
}
