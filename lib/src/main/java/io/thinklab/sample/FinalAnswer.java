package io.thinklab.sample;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one documented way the sample data states its answer: the solution's last line is
 * {@code Final answer: <number>}, the number in plain digits with no unit, no exponent and no trailing zeros
 * ({@code 8}, {@code -3}, {@code 12.5}). Use {@link #extract} and {@link #matches} to grade a model's output.
 */
public final class FinalAnswer {
  private FinalAnswer() {}

  /** The line prefix. */
  public static final String PREFIX = "Final answer: ";

  private static final Pattern LINE = Pattern.compile("Final answer:\\s*\\$?(-?[0-9][0-9,]*(?:\\.[0-9]+)?)");

  /** The answer line for {@code answer}. */
  public static String line(BigDecimal answer) {
    return PREFIX + Num.fmt(answer);
  }

  /** The number on the last {@code Final answer:} line of a text, if there is one. */
  public static Optional<BigDecimal> extract(String text) {
    Matcher m = LINE.matcher(text);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    return last == null ? Optional.empty() : Optional.of(new BigDecimal(last.replace(",", "")));
  }

  /** Whether a text's final answer equals {@code expected} numerically ({@code 12.50} matches {@code 12.5}). */
  public static boolean matches(String text, BigDecimal expected) {
    return extract(text).map(x -> x.compareTo(expected) == 0).orElse(false);
  }
}
