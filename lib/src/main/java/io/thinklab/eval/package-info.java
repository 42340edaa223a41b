/**
 * Evaluation: did the model learn the thinking format? On held-out problems with verifiable answers,
 * {@link io.thinklab.eval.Evaluator} generates (greedy) and measures close rate, finish rate, accuracy,
 * thinking length and how often the seed's stop rule had to fire; {@link io.thinklab.train.EvalLoss} scores
 * held-out formatted examples with the training loss. Results are records ({@link io.thinklab.eval.EvalResult}),
 * side by side in a Tablesaw table or JSON ({@link io.thinklab.eval.EvalResults}).
 * {@link io.thinklab.eval.TruncationAblation} reproduces the seed's truncation mistake and its fix.
 */
package io.thinklab.eval;
