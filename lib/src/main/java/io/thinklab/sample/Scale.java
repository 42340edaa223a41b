package io.thinklab.sample;

/**
 * How long the synthetic traces are. {@link #FULL} matches the seed's token lengths (for the diagnosis and the
 * preflight); {@link #MINI} is the tiny model's own data ({@link ChainProblems}, {@link ChainWriter}): short
 * problems whose every step a 2.8 M-parameter model can compute, traces a CPU trains on in minutes. The divisor
 * and cutoff are the full scale's lengths over 8 and 256 estimated tokens, used only by the length report; the
 * tiny runs set their cutoff in tiny-tokenizer tokens ({@code tiny-glm-cpu-truncated}: 110).
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
