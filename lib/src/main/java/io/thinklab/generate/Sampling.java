package io.thinklab.generate;

import java.util.Arrays;
import java.util.Random;

/**
 * How the next token is chosen from the logits, done in Java (DJL's PyTorch engine has no multinomial).
 *
 * <p>Greedy ({@code temperature == 0}) takes the arg-max (the first on ties). Otherwise, as Transformers'
 * sampling: divide the logits by the temperature, keep the {@code topK} largest (0 = all), softmax, keep the
 * smallest set of most likely tokens whose probability reaches {@code topP} (1 = all), renormalise and draw
 * with a {@link Random} seeded from {@code seed}: the same seed gives the same tokens.
 *
 * @param temperature 0 for greedy, else &gt; 0 (1 = the model's distribution)
 * @param topK        keep this many most likely tokens; 0 keeps all
 * @param topP        nucleus mass in (0, 1]
 * @param seed        the random seed; sample {@code i} of a batch draws from {@code seed + i}
 */
public record Sampling(double temperature, int topK, double topP, long seed) {

  public Sampling {
    if (temperature < 0 || topK < 0 || !(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("need temperature ≥ 0, top_k ≥ 0, 0 < top_p ≤ 1; got " + temperature
          + ", " + topK + ", " + topP);
    }
  }

  /** Arg-max decoding: deterministic, the mode for evaluation and for the cache/adapter equality tests. */
  public static Sampling greedy() {
    return new Sampling(0, 0, 1, 0);
  }

  /** Sampling with a temperature, top-k and top-p from a seed. */
  public static Sampling of(double temperature, int topK, double topP, long seed) {
    return new Sampling(temperature, topK, topP, seed);
  }

  public boolean isGreedy() {
    return temperature == 0;
  }

  /** The chosen token for one row of logits. */
  public int pick(float[] logits, Random rnd) {
    if (isGreedy()) {
      return argMax(logits);
    }
    int n = logits.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a])); // most likely first (stable on ties)
    int keep = topK > 0 ? Math.min(topK, n) : n;
    double max = logits[order[0]] / temperature;
    double[] p = new double[keep];
    double sum = 0;
    for (int i = 0; i < keep; i++) {
      p[i] = Math.exp(logits[order[i]] / temperature - max);
      sum += p[i];
    }
    double cum = 0;
    int nucleus = keep;
    for (int i = 0; i < keep; i++) {
      p[i] /= sum;
      cum += p[i];
      if (cum >= topP) {
        nucleus = i + 1;
        break;
      }
    }
    double mass = 0;
    for (int i = 0; i < nucleus; i++) {
      mass += p[i];
    }
    double u = rnd.nextDouble() * mass;
    for (int i = 0; i < nucleus; i++) {
      u -= p[i];
      if (u < 0) {
        return order[i];
      }
    }
    return order[nucleus - 1];
  }

  /** Index of the largest value, the first one on ties. */
  public static int argMax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
