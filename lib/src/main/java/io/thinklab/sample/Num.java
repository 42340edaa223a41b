package io.thinklab.sample;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small number and choice helpers shared by the problem generators and the teachers. */
final class Num {
  private Num() {}

  /** The canonical text of a number: plain digits, no exponent, no trailing zeros ({@code 12.5}, {@code 2500}). */
  static String fmt(BigDecimal x) {
    BigDecimal s = x.stripTrailingZeros();
    return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
  }

  /** Like {@link #fmt} but in parentheses when negative, for the right-hand operand of an equation. */
  static String operand(BigDecimal x) {
    return x.signum() < 0 ? "(" + fmt(x) + ")" : fmt(x);
  }

  /** Named inputs in the order given ({@code "a", 3, "b", 7}); the order is part of the output bytes. */
  static Map<String, BigDecimal> params(Object... nameValue) {
    Map<String, BigDecimal> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      Object v = nameValue[i + 1];
      m.put((String) nameValue[i], v instanceof BigDecimal b ? b : BigDecimal.valueOf(((Number) v).longValue()));
    }
    return m;
  }

  static BigDecimal bd(long x) {
    return BigDecimal.valueOf(x);
  }

  /** A uniform whole number in {@code [lo, hi]}. */
  static int between(SplittableRandom rnd, int lo, int hi) {
    return rnd.nextInt(lo, hi + 1);
  }

  @SafeVarargs
  static <T> T pick(SplittableRandom rnd, T... options) {
    return options[rnd.nextInt(options.length)];
  }

  static <T> T pick(SplittableRandom rnd, List<T> options) {
    return options.get(rnd.nextInt(options.size()));
  }
}
