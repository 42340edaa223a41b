package io.thinklab.curves;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A run's curve read in plain language: a few headline numbers and the findings that fired.
 *
 * @param run        the run's name
 * @param steps      how many steps were read
 * @param firstLoss  the loss of the first step
 * @param finalLoss  the smoothed loss at the end (EMA with the reading's smoothing)
 * @param minLoss    the lowest raw loss
 * @param findings   what the curve says; empty for a healthy curve
 */
public record CurveReading(String run, int steps, double firstLoss, double finalLoss, double minLoss,
                           List<Finding> findings) {

  public CurveReading {
    findings = List.copyOf(findings);
  }

  /** Whether no finding fired. */
  public boolean healthy() {
    return findings.isEmpty();
  }

  /** Whether a finding with this name fired. */
  public boolean has(String findingName) {
    return findings.stream().anyMatch(f -> f.name().equals(findingName));
  }

  /** The reading as a few lines of text: the headline numbers, then one line per finding. */
  public String text() {
    String head = String.format(java.util.Locale.ROOT, "%s: %d steps, loss %.3f → %.3f (smoothed), min %.3f", run, steps, firstLoss,
        finalLoss, minLoss);
    if (findings.isEmpty()) {
      return head + "\n  healthy: none of the readings fired.";
    }
    return head + "\n" + findings.stream().map(f -> "  " + f.name() + ": " + f.sentence())
        .collect(Collectors.joining("\n"));
  }
}
