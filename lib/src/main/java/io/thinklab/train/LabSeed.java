package io.thinklab.train;

/**
 * The lab's seed: 42 unless the environment variable {@value #ENV} says otherwise. It seeds the tiny base's
 * pre-training, the notebooks' adapters, data order and sampling, so the whole course can be re-run with another
 * seed ({@code THINKLAB_SEED=43 environment/lab run}) to see which results hold and which were luck.
 */
public final class LabSeed {
  private LabSeed() {}

  /** The environment variable that sets the lab's seed. */
  public static final String ENV = "THINKLAB_SEED";
  /** The seed when {@value #ENV} is not set. */
  public static final long DEFAULT = 42;

  /** {@value #ENV} as a whole number, or {@value #DEFAULT}. */
  public static long get() {
    String v = System.getenv(ENV);
    if (v == null || v.isBlank()) {
      return DEFAULT;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(ENV + "=" + v + ": not a whole number (unset it for the default, "
          + DEFAULT + ")");
    }
  }
}
