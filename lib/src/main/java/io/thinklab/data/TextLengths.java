package io.thinklab.data;

import java.util.List;
import java.util.function.Function;

/**
 * Character-length statistics of the three fields of a list of triplets (stripped, counted in Unicode code
 * points like Python's {@code len}). A first look at a dataset before any tokenizer is involved: divide by
 * about 4 for a rough token count in English.
 */
public record TextLengths(LengthStats problem, LengthStats thinking, LengthStats solution) {

  public static TextLengths of(List<Triplet> triplets) {
    return new TextLengths(stats(triplets, Triplet::problem), stats(triplets, Triplet::thinking),
        stats(triplets, Triplet::solution));
  }

  private static LengthStats stats(List<Triplet> triplets, Function<Triplet, String> field) {
    int[] v = new int[triplets.size()];
    for (int i = 0; i < v.length; i++) {
      String s = field.apply(triplets.get(i)).strip();
      v[i] = s.codePointCount(0, s.length());
    }
    return LengthStats.of(v);
  }
}
