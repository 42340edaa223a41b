package io.thinklab.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Deterministic shuffling, selection and train/eval splits: the same list and seed give the same result on
 * every machine and Java version ({@link java.util.Random}'s generator is fixed by its specification).
 *
 * <p>The seed run shuffled GLM-5's rows with seed 42 and kept 12,000 ({@code dataset.shuffle(seed=42)
 * .select(range(12000))} in Hugging Face {@code datasets}). {@code select(rows, 12000, 42)} does the same
 * thing here, but Java's generator is not NumPy's, so the rows chosen differ from the seed's; only the
 * procedure and its reproducibility carry over.
 */
public final class Splits {
  private Splits() {}

  /** A train/eval split; the two lists are disjoint and together hold every input element. */
  public record TrainEval<T>(List<T> train, List<T> eval) {
    public TrainEval {
      train = List.copyOf(train);
      eval = List.copyOf(eval);
    }
  }

  /** A shuffled copy (Fisher–Yates with {@code new Random(seed)}); the input is not modified. */
  public static <T> List<T> shuffle(List<T> items, long seed) {
    List<T> copy = new ArrayList<>(items);
    Collections.shuffle(copy, new Random(seed));
    return List.copyOf(copy);
  }

  /** The first {@code n} of the shuffled list (all of them when there are fewer than {@code n}). */
  public static <T> List<T> select(List<T> items, int n, long seed) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    List<T> shuffled = shuffle(items, seed);
    return shuffled.subList(0, Math.min(n, shuffled.size()));
  }

  /** Shuffles, then puts the last {@code evalCount} elements in eval and the rest in train. */
  public static <T> TrainEval<T> trainEval(List<T> items, int evalCount, long seed) {
    if (evalCount < 0 || evalCount > items.size()) {
      throw new IllegalArgumentException("evalCount must be in [0, " + items.size() + "], got " + evalCount);
    }
    List<T> shuffled = shuffle(items, seed);
    int cut = shuffled.size() - evalCount;
    return new TrainEval<>(shuffled.subList(0, cut), shuffled.subList(cut, shuffled.size()));
  }

  /** {@link #trainEval(List, int, long)} with {@code round(size · evalFraction)} eval elements. */
  public static <T> TrainEval<T> trainEval(List<T> items, double evalFraction, long seed) {
    if (!(evalFraction >= 0 && evalFraction <= 1)) {
      throw new IllegalArgumentException("evalFraction must be in [0, 1], got " + evalFraction);
    }
    return trainEval(items, (int) Math.round(items.size() * evalFraction), seed);
  }
}
