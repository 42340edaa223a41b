package io.thinklab.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Micro-batches of examples of similar length, so a batch pads little: Transformers' {@code group_by_length}.
 * Shuffle, cut into "mega-batches" of {@link #MEGA} micro-batches, sort each longest first, cut into micro-batches,
 * then shuffle the micro-batches. The trainer orders its examples this way ({@code io.thinklab.train.Batches}); the
 * diagnosis computes its padding-waste figure on the same groups, so the figure describes the batches the trainer
 * really builds.
 */
public final class LengthGroups {
  private LengthGroups() {}

  /** Micro-batches per mega-batch. */
  public static final int MEGA = 50;

  /**
   * The grouping of examples of these token lengths into micro-batches of {@code microBatch}, drawn with
   * {@code rnd}. Returns example indices, micro-batch by micro-batch.
   */
  public static List<int[]> of(int[] lengths, int microBatch, Random rnd) {
    if (microBatch < 1) {
      throw new IllegalArgumentException("micro-batch must be at least 1, was " + microBatch);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      order.add(i);
    }
    Collections.shuffle(order, rnd);
    List<int[]> batches = new ArrayList<>();
    int mega = MEGA * microBatch;
    for (int start = 0; start < order.size(); start += mega) {
      List<Integer> chunk = new ArrayList<>(order.subList(start, Math.min(order.size(), start + mega)));
      chunk.sort(Comparator.comparingInt((Integer i) -> lengths[i]).reversed());
      for (int b = 0; b < chunk.size(); b += microBatch) {
        batches.add(chunk.subList(b, Math.min(chunk.size(), b + microBatch)).stream().mapToInt(x -> x).toArray());
      }
    }
    Collections.shuffle(batches, rnd);
    return batches;
  }
}
