package io.thinklab.sample;

/**
 * The two synthetic teacher styles, mirroring the two datasets of the seed experiment.
 *
 * <ul>
 *   <li>{@link #OPUS}: structured like the Claude-Opus-4.6 traces — understand, numbered steps, a verification
 *       step; moderate length (full sequences p50 ≈ 717, p95 ≈ 1,611 tokens in the seed's measurement).
 *   <li>{@link #GLM}: exploratory like the GLM-5 traces — "Wait,", "Hmm", "Actually", re-derivations; a long
 *       tail where about 79 % of rows exceed 2,048 tokens and the mode sits near 3,400.
 * </ul>
 */
public enum Style {
  OPUS("opus-style"), GLM("glm-style");

  private final String label;

  Style(String label) {
    this.label = label;
  }

  /** The name written in a row's {@code style} field ({@code opus-style}, {@code glm-style}). */
  public String label() {
    return label;
  }

  /** Parses {@code opus}, {@code glm}, {@code opus-style} or {@code glm-style}. */
  public static Style parse(String s) {
    for (Style st : values()) {
      if (st.label.equalsIgnoreCase(s) || st.name().equalsIgnoreCase(s)) {
        return st;
      }
    }
    throw new IllegalArgumentException("unknown style '" + s + "' (expected opus or glm)");
  }
}
