package io.thinklab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {
  private final List<Integer> items = IntStream.range(0, 100).boxed().toList();

  @Test
  void sameSeedSameOrderOtherSeedOtherOrder() {
    assertEquals(Splits.shuffle(items, 42), Splits.shuffle(items, 42));
    assertNotEquals(Splits.shuffle(items, 42), Splits.shuffle(items, 43));
    assertNotEquals(items, Splits.shuffle(items, 42));
    assertEquals(new HashSet<>(items), new HashSet<>(Splits.shuffle(items, 42)));
  }

  @Test
  void shuffleIsPinnedAcrossMachines() {
    // java.util.Random is specified exactly, so this order is the same on every JVM.
    assertEquals(List.of(4, 6, 2, 1, 7, 9, 8, 5, 3, 0), Splits.shuffle(IntStream.range(0, 10).boxed().toList(), 42));
  }

  @Test
  void selectTakesThePrefixOfTheShuffle() {
    assertEquals(Splits.shuffle(items, 42).subList(0, 12), Splits.select(items, 12, 42));
    assertEquals(100, Splits.select(items, 12000, 42).size());
  }

  @Test
  void trainEvalIsDisjointAndCoversEverything() {
    Splits.TrainEval<Integer> s = Splits.trainEval(items, 0.1, 7);
    assertEquals(90, s.train().size());
    assertEquals(10, s.eval().size());
    Set<Integer> all = new HashSet<>(s.train());
    all.addAll(s.eval());
    assertEquals(100, all.size());
    assertEquals(s, Splits.trainEval(items, 10, 7));
    List<Integer> input = new ArrayList<>(items);
    Splits.trainEval(input, 5, 1);
    assertEquals(items, input, "input untouched");
  }
}
