package io.thinklab.sample;

/**
 * Which part of the problem space a generator draws from. One problem text in ten (by a fixed hash of the text)
 * is reserved for evaluation: {@link #TRAIN} never writes those, {@link #EVAL} writes only those, so held-out
 * problems stay unseen by construction, in every kind, whatever the seeds and row counts.
 */
public enum Split {
  TRAIN, EVAL, ALL;

  /** Whether a problem text is in the evaluation tenth (a stable function of the text). */
  public static boolean heldOut(String problemText) {
    return Math.floorMod(problemText.hashCode() * 0x9E3779B1, 10) == 0;
  }

  /** Whether this split admits the problem. */
  public boolean admits(String problemText) {
    return switch (this) {
      case TRAIN -> !heldOut(problemText);
      case EVAL -> heldOut(problemText);
      case ALL -> true;
    };
  }

  public static Split parse(String s) {
    return valueOf(s.toUpperCase(java.util.Locale.ROOT));
  }
}
