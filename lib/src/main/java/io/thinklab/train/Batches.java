package io.thinklab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.thinklab.data.LengthGroups;
import io.thinklab.model.NextTokenLoss;
import java.util.List;
import java.util.Random;

/**
 * The order examples are trained in: shuffled per epoch, grouped by length so a micro-batch pads little,
 * then cut into optimizer steps of {@code gradAccum} micro-batches.
 *
 * <p>Length grouping as Transformers' {@code group_by_length} ({@link LengthGroups}), drawn with
 * {@code new Random(seed * 1_000_003 + epoch)}: the whole plan is a function of (data, seed, epoch), so a resumed
 * run finds its place from the step number alone.
 */
public final class Batches {
  private final List<Sequence> data;
  private final int microBatch;
  private final int gradAccum;
  private final long seed;

  public Batches(List<Sequence> data, int microBatch, int gradAccum, long seed) {
    if (data.isEmpty()) {
      throw new IllegalArgumentException("no training examples");
    }
    List<String> untrained = data.stream().filter(x -> x.trainedTokens() == 0).map(Sequence::id).toList();
    if (!untrained.isEmpty()) { // e.g. cut inside the prompt: nothing of the completion is left to learn
      throw new IllegalArgumentException(untrained.size() + " example(s) have no trained token (prompt only, or cut"
          + " before the completion): " + untrained.subList(0, Math.min(3, untrained.size())));
    }
    this.data = List.copyOf(data);
    this.microBatch = microBatch;
    this.gradAccum = gradAccum;
    this.seed = seed;
  }

  /** Micro-batches of one epoch, as lists of example indices, in training order. */
  public List<int[]> microBatches(int epoch) {
    int[] lengths = new int[data.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = data.get(i).length();
    }
    return LengthGroups.of(lengths, microBatch, new Random(seed * 1_000_003L + epoch));
  }

  /** Optimizer steps per epoch; the last may accumulate fewer micro-batches. */
  public int stepsPerEpoch() {
    int micro = (data.size() + microBatch - 1) / microBatch;
    return (micro + gradAccum - 1) / gradAccum;
  }

  /** The micro-batches of global optimizer step {@code step} (0-based): epoch and place follow from it. */
  public List<int[]> step(int step) {
    int epoch = step / stepsPerEpoch();
    int first = (step % stepsPerEpoch()) * gradAccum;
    List<int[]> all = microBatches(epoch);
    return all.subList(first, Math.min(all.size(), first + gradAccum));
  }

  /** Epoch (fractional, as Transformers logs it) after step {@code step} (0-based) is done. */
  public double epochAfter(int step) {
    return (step + 1) / (double) stepsPerEpoch();
  }

  public Sequence get(int index) {
    return data.get(index);
  }

  /** Trained tokens over a whole optimizer step: the denominator of its loss. */
  public long trainedTokens(List<int[]> micro) {
    long n = 0;
    for (int[] b : micro) {
      for (int i : b) {
        n += data.get(i).trainedTokens();
      }
    }
    return n;
  }

  /** Ids, attention mask and labels of one micro-batch, right-padded to its longest sequence. */
  public record Batch(NDArray ids, NDArray mask, NDArray labels, long tokens) {}

  /** Builds one micro-batch's arrays in {@code m} (pad id 0, mask 0, label −100 on padding). */
  public Batch collate(NDManager m, int[] indices) {
    int t = 0;
    for (int i : indices) {
      t = Math.max(t, data.get(i).length());
    }
    long[] ids = new long[indices.length * t];
    long[] mask = new long[ids.length];
    long[] labels = new long[ids.length];
    java.util.Arrays.fill(labels, NextTokenLoss.IGNORE_INDEX);
    long tokens = 0;
    for (int r = 0; r < indices.length; r++) {
      Sequence s = data.get(indices[r]);
      long[] sIds = s.ids();
      long[] sLabels = s.labels();
      System.arraycopy(sIds, 0, ids, r * t, sIds.length);
      System.arraycopy(sLabels, 0, labels, r * t, sLabels.length);
      java.util.Arrays.fill(mask, r * t, r * t + sIds.length, 1L);
      tokens += sIds.length;
    }
    Shape shape = new Shape(indices.length, t);
    return new Batch(m.create(ids, shape), m.create(mask, shape), m.create(labels, shape), tokens);
  }
}
