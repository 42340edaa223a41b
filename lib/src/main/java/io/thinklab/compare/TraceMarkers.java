package io.thinklab.compare;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The patterns counted in reasoning traces: structure, behaviour and loops. Counting is case-insensitive, on
 * whole words, and non-overlapping (a phrase is counted once even when a shorter marker sits inside it).
 *
 * <ul>
 *   <li>numbered step: a line starting {@code 1.}, {@code 2)}, {@code Step 3:} or {@code **Step 3}</li>
 *   <li>header: a Markdown heading line ({@code ## ...}) or a line that is only bold text ({@code **Setup**})</li>
 *   <li>bullet: a line starting {@code - }, {@code * }, {@code + } or {@code • }</li>
 *   <li>equation: a line with LaTeX math ({@code $}, {@code \(}, {@code \[}, {@code \begin}) or an
 *       {@code =} between operands; counted once per line</li>
 *   <li>self-correction: {@link #SELF_CORRECTION}; verification: {@link #VERIFICATION}; hedge: {@link #HEDGES}</li>
 *   <li>repeated n-gram rate: the share of word {@value #NGRAM}-grams that already occurred earlier in the
 *       same text; near 0 for ordinary prose, high when the writer loops</li>
 * </ul>
 */
public final class TraceMarkers {
  private TraceMarkers() {}

  /** Self-correction markers: "wait", "actually", "hmm", "let me re-check", "let me redo", "on second thought", "I made a mistake", "that's wrong". */
  public static final Pattern SELF_CORRECTION = words(
      "wait|actually|hmm+|let me re-?check|let me redo|on second thought|i made an? (?:mistake|error)|that['’]?s (?:not right|wrong)");

  /** Verification steps: "let me verify/check/confirm", "verify", "double-check", "sanity check", "plug back", "substitute back", "Check:", "Check step 2:". */
  public static final Pattern VERIFICATION = words(
      "let me (?:verify|check|double[- ]check|confirm)|verif(?:y|ying|ied|ication)|double[- ]check(?:ing)?"
          + "|sanity check|plug(?:ging)? (?:it |this |that |these )?back|substitut(?:e|ing) back"
          + "|(?<!re-)check(?: step \\d+)?:");

  /** Hedges: "I think", "probably", "maybe", "perhaps", "might", "not sure", "it seems", "likely", "I guess", "I believe". */
  public static final Pattern HEDGES = words(
      "i think|probably|maybe|perhaps|might|not sure|it seems|likely|i guess|i believe");

  static final Pattern NUMBERED_STEP = Pattern.compile(
      "^[ \\t]*(?:\\d{1,3}[.)][ \\t]|(?:\\*\\*)?step[ \\t]+\\d+)", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
  static final Pattern HEADER = Pattern.compile(
      "^[ \\t]*(?:#{1,6}[ \\t]+\\S.*|\\*\\*[^*\\n]{1,80}\\*\\*:?[ \\t]*)$", Pattern.MULTILINE);
  static final Pattern BULLET = Pattern.compile("^[ \\t]*[-*+•][ \\t]+\\S", Pattern.MULTILINE);
  static final Pattern EQUATION_LINE = Pattern.compile(
      "\\$|\\\\\\(|\\\\\\[|\\\\begin\\{|[\\w)\\]}][ \\t]*=[ \\t]*[\\w(\\-\\\\$]");

  /** The n of the repeated n-gram rate. */
  public static final int NGRAM = 8;

  /** How many times {@code pattern} occurs in {@code text} (non-overlapping). */
  public static int count(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** Numbered-step lines. */
  public static int numberedSteps(String text) {
    return count(NUMBERED_STEP, text);
  }

  /** Header lines. */
  public static int headers(String text) {
    return count(HEADER, text);
  }

  /** Bullet lines. */
  public static int bullets(String text) {
    return count(BULLET, text);
  }

  /** Lines holding an equation (see the class comment). */
  public static int equations(String text) {
    int n = 0;
    for (String line : text.split("\n")) {
      if (EQUATION_LINE.matcher(line).find()) {
        n++;
      }
    }
    return n;
  }

  /** The share of word n-grams ({@link #NGRAM}) that repeat an earlier one in the same text; 0 for short text. */
  public static double repeatedNgramRate(String text) {
    return repeatedNgramRate(text, NGRAM);
  }

  /** The share of word {@code n}-grams that repeat an earlier one in the same text; 0 when there are none. */
  public static double repeatedNgramRate(String text, int n) {
    String[] w = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
    int start = w.length > 0 && w[0].isEmpty() ? 1 : 0;
    int total = w.length - start - n + 1;
    if (total <= 0) {
      return 0;
    }
    Set<String> seen = new HashSet<>();
    int repeated = 0;
    for (int i = start; i < start + total; i++) {
      if (!seen.add(String.join(" ", java.util.Arrays.copyOfRange(w, i, i + n)))) {
        repeated++;
      }
    }
    return (double) repeated / total;
  }

  private static Pattern words(String alternatives) {
    return Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])",
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }
}
