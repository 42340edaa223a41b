package io.thinklab.compare;

import io.thinklab.data.FinalAnswer;
import io.thinklab.data.Triplet;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * What one reasoning trace looks like, measured: lengths, structure, behaviour, loops and answer format.
 *
 * <p>Structure is counted over the whole trace (thinking, then solution); behaviour over the thinking only,
 * where self-correction and verification happen. See {@link TraceMarkers} for the patterns and
 * {@link FinalAnswer} for the extraction and matching rules.
 *
 * @param id                the triplet's id
 * @param thinkingTokens    tokens in the thinking
 * @param solutionTokens    tokens in the solution
 * @param traceTokens       tokens in thinking + solution (the denominator of structure rates)
 * @param numberedSteps     numbered-step lines in the trace
 * @param headers           header lines in the trace
 * @param bullets           bullet lines in the trace
 * @param equations         lines with an equation in the trace
 * @param selfCorrections   self-correction markers in the thinking
 * @param verifications     verification markers in the thinking
 * @param hedges            hedges in the thinking
 * @param repeatedNgramRate share of repeated word 8-grams in the thinking (loop indicator)
 * @param boxed             whether the solution has a {@code \boxed{}} answer
 * @param answerLine        whether the solution has an explicit "Answer: ..." line
 * @param answer            the extracted final answer, or null
 * @param answerRule        the rule that found it, or null
 * @param correct           whether it matches the row's reference answer ({@link #reference}); null when none
 */
public record TraceFeatures(String id, int thinkingTokens, int solutionTokens, int traceTokens, int numberedSteps,
                            int headers, int bullets, int equations, int selfCorrections, int verifications,
                            int hedges, double repeatedNgramRate, boolean boxed, boolean answerLine, String answer,
                            String answerRule, Boolean correct) {

  /** Measures one triplet, counting tokens with {@code tokens} (e.g. {@link Tokens#CHARS_OVER_4}). */
  public static TraceFeatures of(Triplet t, ToIntFunction<String> tokens) {
    String trace = t.thinking() + "\n" + t.solution();
    Optional<FinalAnswer.Extracted> answer = FinalAnswer.extract(t.solution(), t.thinking());
    Object reference = reference(t);
    Boolean correct = reference == null ? null
        : answer.map(a -> FinalAnswer.matches(a.text(), String.valueOf(reference))).orElse(false);
    return new TraceFeatures(t.id(), tokens.applyAsInt(t.thinking()), tokens.applyAsInt(t.solution()),
        tokens.applyAsInt(t.thinking()) + tokens.applyAsInt(t.solution()),
        TraceMarkers.numberedSteps(trace), TraceMarkers.headers(trace), TraceMarkers.bullets(trace),
        TraceMarkers.equations(trace),
        TraceMarkers.count(TraceMarkers.SELF_CORRECTION, t.thinking()),
        TraceMarkers.count(TraceMarkers.VERIFICATION, t.thinking()),
        TraceMarkers.count(TraceMarkers.HEDGES, t.thinking()),
        TraceMarkers.repeatedNgramRate(t.thinking()),
        FinalAnswer.lastBoxed(t.solution()) != null,
        FinalAnswer.answerLine(t.solution()) != null,
        answer.map(FinalAnswer.Extracted::text).orElse(null),
        answer.map(FinalAnswer.Extracted::rule).orElse(null),
        correct);
  }

  /**
   * The reference answer of a row: {@code metadata.answer} (a top-level {@code answer} field of the raw row),
   * else {@code answer} inside a nested {@code metadata} object; null when there is none.
   */
  public static Object reference(Triplet t) {
    Object direct = t.metadata().get("answer");
    if (direct != null) {
      return direct;
    }
    return t.metadata().get("metadata") instanceof java.util.Map<?, ?> nested ? nested.get("answer") : null;
  }

  /** Thinking tokens per solution token (NaN for an empty solution). */
  public double ratio() {
    return solutionTokens == 0 ? Double.NaN : (double) thinkingTokens / solutionTokens;
  }
}
