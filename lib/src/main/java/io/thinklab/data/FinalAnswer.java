package io.thinklab.data;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The final answer a trace commits to: how ThinkLab's samples write it ({@link #line}), how it is found in any
 * trace ({@link #extract}) and checked against a reference answer ({@link #matches}). The teacher comparison, the
 * evaluation's grading and the synthetic samples all use this one rule.
 *
 * <p><b>Extraction rule</b>, first match wins:
 * <ol>
 *   <li>{@code boxed}: the last {@code \boxed{...}} in the solution (braces balanced, so
 *       {@code \boxed{\frac{1}{2}}} gives {@code \frac{1}{2}});</li>
 *   <li>{@code answer-line}: the last line of the solution of the form "Answer: X", "Final answer: X",
 *       "**Final Answer:** X", "The answer is X" or "The final answer is X" (case-insensitive; X is the rest of
 *       the line);</li>
 *   <li>{@code boxed-in-thinking}: the last {@code \boxed{...}} in the thinking;</li>
 *   <li>otherwise there is no final answer.</li>
 * </ol>
 *
 * <p><b>Matching rule</b> ({@link #matches}): both sides are normalised ({@link #normalise}: math delimiters,
 * bold, {@code \text{}}, spaces, a trailing full stop and thousands separators removed; lower case). If the
 * reference is a number (an integer, decimal, {@code a/b} or {@code \frac{a}{b}}), the answer matches when
 * its value, or else the last number in it, equals the reference within 1e-6 relative; otherwise the
 * normalised strings must be equal.
 */
public final class FinalAnswer {
  private FinalAnswer() {}

  /** The prefix of the answer line ThinkLab's samples end their solution with. */
  public static final String PREFIX = "Final answer: ";

  /** The answer line for {@code answer} as written (e.g. {@code 12.5}): {@code Final answer: 12.5}. */
  public static String line(String answer) {
    return PREFIX + answer;
  }

  /** Whether the final answer of {@code solution} (no thinking) matches {@code reference}. */
  public static boolean solutionMatches(String solution, String reference) {
    return extract(solution, "").map(a -> matches(a.text(), reference)).orElse(false);
  }

  /** An extracted answer and the rule that found it ({@code boxed}, {@code answer-line}, {@code boxed-in-thinking}). */
  public record Extracted(String text, String rule) {}

  private static final Pattern ANSWER_LINE = Pattern.compile(
      "^[ \\t>#*_-]*(?:the[ \\t]+)?(?:final[ \\t]+)?answer(?:[ \\t]*\\*\\*)?[ \\t]*(?:[:：]|[ \\t]+is\\b)"
          + "[ \\t]*(?:\\*\\*)?[ \\t]*(\\S.*?)[ \\t]*$",
      Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:/\\d+(?:\\.\\d+)?)?");

  /** The final answer of a trace by the rule in the class comment, or empty. */
  public static Optional<Extracted> extract(String solution, String thinking) {
    String boxed = lastBoxed(solution);
    if (boxed != null) {
      return Optional.of(new Extracted(boxed, "boxed"));
    }
    String line = answerLine(solution);
    if (line != null) {
      return Optional.of(new Extracted(line, "answer-line"));
    }
    boxed = lastBoxed(thinking);
    return boxed == null ? Optional.empty() : Optional.of(new Extracted(boxed, "boxed-in-thinking"));
  }

  /** The X of the last "Answer: X" / "Final answer: X" / "The final answer is X" line in {@code text}; null if none. */
  public static String answerLine(String text) {
    Matcher m = ANSWER_LINE.matcher(text);
    String line = null;
    while (m.find()) {
      line = m.group(1);
    }
    return line;
  }

  /** The content of the last {@code \boxed{...}} in {@code text}, braces balanced; null when there is none. */
  public static String lastBoxed(String text) {
    int at = text.lastIndexOf("\\boxed{");
    if (at < 0) {
      return null;
    }
    int start = at + "\\boxed{".length();
    int depth = 1;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return text.substring(start, i).trim();
      }
    }
    return null; // unbalanced: not a usable answer
  }

  /** Whether an extracted answer equals the reference answer, by the matching rule in the class comment. */
  public static boolean matches(String extracted, String reference) {
    String a = normalise(extracted);
    String r = normalise(reference);
    Double rv = value(r);
    if (rv != null) {
      Double av = value(a);
      if (av == null) {
        Matcher m = NUMBER.matcher(a);
        while (m.find()) {
          av = value(m.group());
        }
      }
      return av != null && Math.abs(av - rv) <= 1e-6 * Math.max(1, Math.abs(rv));
    }
    return a.equals(r);
  }

  /** The comparable form of an answer (see the class comment). */
  public static String normalise(String s) {
    String t = s.trim();
    String boxed = lastBoxed(t);
    if (boxed != null) {
      t = boxed;
    }
    t = t.replaceAll("\\\\text\\{([^}]*)}", "$1")
        .replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
        .replace("\\(", "").replace("\\)", "").replace("\\[", "").replace("\\]", "")
        .replace("$", "").replace("**", "")
        .replaceAll("(?<=\\d),(?=\\d{3}(?!\\d))", "")
        .replaceAll("\\s+", "");
    while (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    return t.toLowerCase(Locale.ROOT);
  }

  /** The value of a normalised number: integer, decimal, {@code a/b} or {@code \frac{a}{b}}; null otherwise. */
  static Double value(String t) {
    Matcher frac = Pattern.compile("(-?)\\\\frac\\{(-?[\\d.]+)}\\{(-?[\\d.]+)}").matcher(t);
    if (frac.matches()) {
      double v = Double.parseDouble(frac.group(2)) / Double.parseDouble(frac.group(3));
      return frac.group(1).isEmpty() ? v : -v;
    }
    if (!NUMBER.matcher(t).matches()) {
      return null;
    }
    int slash = t.indexOf('/');
    return slash < 0 ? Double.parseDouble(t)
        : Double.parseDouble(t.substring(0, slash)) / Double.parseDouble(t.substring(slash + 1));
  }
}
