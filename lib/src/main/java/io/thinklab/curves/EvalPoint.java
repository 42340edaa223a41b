package io.thinklab.curves;

/**
 * One evaluation of a run on held-out data.
 *
 * @param step     the optimizer step after which the evaluation ran
 * @param epoch    epochs completed at that point (NaN when not logged)
 * @param evalLoss mean loss on the evaluation set
 */
public record EvalPoint(long step, double epoch, double evalLoss) {}
