package io.thinklab.data;

/**
 * The parts of a formatted training text, in the order they appear.
 *
 * <p>The loss is computed on the completion only: {@link #PROMPT} is masked; everything from
 * {@link #THINK_OPEN} to {@link #EOS} is trained. A run that cuts the text before {@link #THINK_CLOSE}
 * teaches the model to reason but never to stop, the seed's costliest mistake.
 */
public enum Segment {
  /** The user turn, e.g. {@code "User: {problem}\n"}; masked from the loss. */
  PROMPT,
  /** Everything from the start of the assistant turn up to and including {@code <think>}. */
  THINK_OPEN,
  /** The reasoning trace itself. */
  THINKING,
  /** {@code </think>} with the text around it that separates thinking from solution. */
  THINK_CLOSE,
  /** The final answer. */
  SOLUTION,
  /** The end-of-sequence token's text (a single special token when the tokenizer has one). */
  EOS;

  /** True for the segments the completion-only loss trains on. */
  public boolean inCompletion() {
    return this != PROMPT;
  }
}
