package io.thinklab.diagnose;

import java.util.Locale;

/** What training does with an example longer than the cutoff. */
public enum Policy {
  /** Cut the tokens past the cutoff (what the seed's trainer did): the row stays, its end may be lost. */
  TRUNCATE,
  /** Filter the row out before training: every kept row keeps {@code </think>} and EOS. */
  DROP,
  /** Stop with an error naming the first over-long row: nothing is trained on a cut example by accident. */
  ERROR;

  /** Parses {@code truncate}, {@code drop} or {@code error} (any case). */
  public static Policy parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("over-long policy '" + s + "' is not one of truncate, drop, error");
    }
  }

  /** The lower-case name run files use. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
