package io.thinklab.eval;

import io.thinklab.generate.Generation;

/**
 * One held-out problem's generation, graded.
 *
 * @param id             the problem's id
 * @param generation     what the model wrote and why it stopped
 * @param reference      the reference answer (metadata {@code answer})
 * @param extracted      the answer extracted by {@link Answers}, or null
 * @param correct        whether it matches the reference
 * @param thinkingTokens tokens up to and including the one that completed {@code </think>}; all generated
 *                       tokens when the reasoning never closed
 */
public record EvalSample(String id, Generation generation, Object reference, String extracted, boolean correct,
                         int thinkingTokens) {

  /** Emitted {@code </think>} within the budget. */
  public boolean closed() {
    return generation.closed();
  }

  /** Closed its reasoning, wrote a non-empty solution, then stopped with EOS. */
  public boolean finished() {
    return generation.closed() && generation.reason() == io.thinklab.generate.StopReason.EOS
        && !generation.solution().isBlank();
  }
}
