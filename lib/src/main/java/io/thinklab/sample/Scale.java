package io.thinklab.sample;

/**
 * How long the synthetic traces are. {@link #FULL} matches the seed's token lengths; {@link #MINI} is about
 * 1/8 of that, with small regular templates, so a tiny model trained on a CPU meets the same truncation story
 * at a cutoff of 256 instead of 2,048 tokens.
 */
public enum Scale {
  FULL("full", 1, 2048), MINI("mini", 8, 256);

  private final String label;
  private final int divisor;
  private final int cutoff;

  Scale(String label, int divisor, int cutoff) {
    this.label = label;
    this.divisor = divisor;
    this.cutoff = cutoff;
  }

  /** The name written in a row's {@code scale} field. */
  public String label() {
    return label;
  }

  /** Lengths at this scale are the full-scale lengths divided by this. */
  public int divisor() {
    return divisor;
  }

  /** The sequence-length cutoff that plays the seed's 2,048 at this scale. */
  public int cutoff() {
    return cutoff;
  }

  public boolean mini() {
    return this == MINI;
  }

  public static Scale parse(String s) {
    for (Scale sc : values()) {
      if (sc.label.equalsIgnoreCase(s)) {
        return sc;
      }
    }
    throw new IllegalArgumentException("unknown scale '" + s + "' (expected full or mini)");
  }
}
