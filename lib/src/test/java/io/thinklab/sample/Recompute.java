package io.thinklab.sample;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;

/**
 * The answer of every (kind, variant) recomputed from its params with a formula written independently of the
 * generators; an unknown variant fails, so a new variant cannot go unchecked.
 */
final class Recompute {
  private Recompute() {}

  static BigDecimal answer(String kind, String variant, Map<String, BigDecimal> p) {
    String key = kind + "/" + variant;
    return switch (key) {
      case "arithmetic/shopping" -> p.get("bill").subtract(p.get("n").multiply(p.get("price")));
      case "arithmetic/baking" -> p.get("trays").multiply(p.get("per_tray")).subtract(p.get("sold"));
      case "arithmetic/sharing" -> exact(p.get("total").subtract(p.get("kept")), p.get("people"));
      case "arithmetic/trip" -> p.get("h1").multiply(p.get("v1")).add(p.get("h2").multiply(p.get("v2")));
      case "arithmetic/basket" -> p.get("bill").subtract(sumOfProducts(p, "n", "price"));
      case "arithmetic/journey" -> sumOfProducts(p, "h", "v");
      case "percentage/discount" -> exact(p.get("price").multiply(hundred().subtract(p.get("rate"))), hundred());
      case "percentage/percent-of" -> exact(p.get("whole").multiply(p.get("rate")), hundred());
      case "percentage/what-percent" -> exact(p.get("part").multiply(hundred()), p.get("total"));
      case "percentage/increase" -> exact(p.get("before").multiply(hundred().add(p.get("rate"))), hundred());
      case "linear-equation/one-side", "linear-equation/puzzle" -> {
        BigDecimal x = exact(p.get("c").subtract(p.get("b")), p.get("a"));
        check(p.get("a").multiply(x).add(p.get("b")).compareTo(p.get("c")) == 0, key);
        yield x;
      }
      case "linear-equation/two-sides" -> {
        BigDecimal x = exact(p.get("e").subtract(p.get("b")), p.get("a").subtract(p.get("d")));
        check(p.get("a").multiply(x).add(p.get("b")).compareTo(p.get("d").multiply(x).add(p.get("e"))) == 0, key);
        yield x;
      }
      case "unit-conversion/multiply" -> p.get("value").multiply(p.get("factor"));
      case "unit-conversion/divide" -> exact(p.get("value"), p.get("factor"));
      case "unit-conversion/two-step" -> p.get("value").multiply(p.get("factor1")).multiply(p.get("factor2"));
      case "unit-conversion/temperature" -> exact(p.get("celsius").multiply(BigDecimal.valueOf(9)), BigDecimal.valueOf(5))
          .add(BigDecimal.valueOf(32));
      case "counting/outfits" -> p.get("shirts").multiply(p.getOrDefault("trousers", BigDecimal.ONE)).multiply(p.get("hats"));
      case "counting/handshakes" -> BigDecimal.valueOf(choose(p.get("n").intValueExact(), 2));
      case "counting/committee" -> BigDecimal.valueOf(choose(p.get("n").intValueExact(), p.get("k").intValueExact()));
      case "counting/arrangements" -> new BigDecimal(factorial(p.get("letters").intValueExact()));
      case "counting/podium" -> {
        long n = p.get("n").longValueExact();
        yield BigDecimal.valueOf(n * (n - 1) * (n - 2));
      }
      case "arithmetic/chain", "arithmetic/chain-bags" -> {
        BigDecimal v = p.containsKey("start") ? p.get("start") : p.get("bags").multiply(p.get("each"));
        for (int i = 1; p.containsKey("d" + i); i++) {
          v = v.add(p.get("d" + i));
        }
        yield v;
      }
      default -> throw new AssertionError("no independent formula for " + key);
    };
  }

  /** {@code a1·b1 + a2·b2 + …} over the numbered params {@code a1, b1, a2, b2, …}. */
  static BigDecimal sumOfProducts(Map<String, BigDecimal> p, String a, String b) {
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 1; p.containsKey(a + i); i++) {
      sum = sum.add(p.get(a + i).multiply(p.get(b + i)));
    }
    return sum;
  }

  static BigDecimal hundred() {
    return BigDecimal.valueOf(100);
  }

  /** a / b, failing when it does not terminate within 12 decimals. */
  static BigDecimal exact(BigDecimal a, BigDecimal b) {
    return a.divide(b, 12, RoundingMode.UNNECESSARY);
  }

  /** Binomial coefficient by Pascal's rule (a different route from the generator's falling factorials). */
  static long choose(int n, int k) {
    long[] row = new long[n + 1];
    row[0] = 1;
    for (int i = 1; i <= n; i++) {
      for (int j = i; j > 0; j--) {
        row[j] += row[j - 1];
      }
    }
    return row[k];
  }

  static BigInteger factorial(int n) {
    BigInteger f = BigInteger.ONE;
    for (int i = 2; i <= n; i++) {
      f = f.multiply(BigInteger.valueOf(i));
    }
    return f;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("substitution check failed for " + what);
    }
  }
}
