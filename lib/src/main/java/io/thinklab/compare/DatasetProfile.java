package io.thinklab.compare;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.thinklab.data.Triplet;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * One dataset of traces, profiled: what a teacher's traces look like on average.
 *
 * <p>Rates "per 1k" are totals over the dataset divided by its total tokens, times 1,000: structure over the
 * whole trace's tokens, behaviour over the thinking's tokens. Shares are fractions of rows in [0, 1].
 *
 * @param name                 the dataset's label
 * @param source               where it was read from, or empty
 * @param rows                 how many triplets were profiled
 * @param rejected             rows the loader rejected (bad JSON, missing fields, duplicate ids), not profiled
 * @param thinkingTokens       distribution of thinking lengths, tokens
 * @param solutionTokens       distribution of solution lengths, tokens
 * @param ratio                distribution of thinking ÷ solution tokens
 * @param numberedStepsPer1k   numbered-step lines per 1,000 trace tokens
 * @param headersPer1k         header lines per 1,000 trace tokens
 * @param bulletsPer1k         bullet lines per 1,000 trace tokens
 * @param equationsPer1k       equation lines per 1,000 trace tokens
 * @param selfCorrectionsPer1k self-correction markers per 1,000 thinking tokens
 * @param verificationsPer1k   verification markers per 1,000 thinking tokens
 * @param hedgesPer1k          hedges per 1,000 thinking tokens
 * @param repeatedNgramRate    mean repeated 8-gram rate of the thinking
 * @param loopingShare         share of rows whose repeated 8-gram rate exceeds {@value #LOOPING_RATE}
 * @param boxedShare           share of rows with a {@code \boxed{}} answer in the solution
 * @param answerLineShare      share of rows with an explicit "Answer: ..." line in the solution
 * @param extractedShare       share of rows where a final answer could be extracted at all
 * @param withReference        rows whose metadata has a reference {@code answer}
 * @param accuracy             share of those whose extracted answer matches it; null when none has one
 * @param traces               the per-row measurements (not printed in JSON)
 */
public record DatasetProfile(String name, String source, int rows, int rejected, Distribution thinkingTokens,
                             Distribution solutionTokens, Distribution ratio, double numberedStepsPer1k,
                             double headersPer1k, double bulletsPer1k, double equationsPer1k,
                             double selfCorrectionsPer1k, double verificationsPer1k, double hedgesPer1k,
                             double repeatedNgramRate, double loopingShare, double boxedShare,
                             double answerLineShare, double extractedShare, int withReference, Double accuracy,
                             @JsonIgnore List<TraceFeatures> traces) {

  /** Repeated 8-gram rate above which a trace counts as looping. */
  public static final double LOOPING_RATE = 0.2;

  public DatasetProfile {
    traces = List.copyOf(traces);
  }

  /** Profiles {@code triplets}, counting tokens with {@code tokens}. */
  public static DatasetProfile of(String name, String source, List<Triplet> triplets, ToIntFunction<String> tokens) {
    return of(name, source, triplets, 0, tokens);
  }

  /** Profiles {@code triplets} of a load that rejected {@code rejected} rows, counting tokens with {@code tokens}. */
  public static DatasetProfile of(String name, String source, List<Triplet> triplets, int rejected,
                                  ToIntFunction<String> tokens) {
    List<TraceFeatures> f = triplets.stream().map(t -> TraceFeatures.of(t, tokens)).toList();
    double traceTokens = sum(f, TraceFeatures::traceTokens);
    double thinkTokens = sum(f, TraceFeatures::thinkingTokens);
    List<TraceFeatures> referenced = f.stream().filter(x -> x.correct() != null).toList();
    return new DatasetProfile(name, source == null ? "" : source, f.size(), rejected,
        Distribution.of(column(f, TraceFeatures::thinkingTokens)),
        Distribution.of(column(f, TraceFeatures::solutionTokens)),
        Distribution.of(column(f, TraceFeatures::ratio)),
        per1k(sum(f, TraceFeatures::numberedSteps), traceTokens),
        per1k(sum(f, TraceFeatures::headers), traceTokens),
        per1k(sum(f, TraceFeatures::bullets), traceTokens),
        per1k(sum(f, TraceFeatures::equations), traceTokens),
        per1k(sum(f, TraceFeatures::selfCorrections), thinkTokens),
        per1k(sum(f, TraceFeatures::verifications), thinkTokens),
        per1k(sum(f, TraceFeatures::hedges), thinkTokens),
        f.isEmpty() ? Double.NaN : sum(f, TraceFeatures::repeatedNgramRate) / f.size(),
        share(f, x -> x.repeatedNgramRate() > LOOPING_RATE ? 1 : 0),
        share(f, x -> x.boxed() ? 1 : 0),
        share(f, x -> x.answerLine() ? 1 : 0),
        share(f, x -> x.answer() != null ? 1 : 0),
        referenced.size(),
        referenced.isEmpty() ? null : share(referenced, x -> x.correct() ? 1 : 0),
        f);
  }

  /** Thinking lengths of every row, tokens, for plotting. */
  public double[] thinkingLengths() {
    return column(traces, TraceFeatures::thinkingTokens);
  }

  /** Solution lengths of every row, tokens, for plotting. */
  public double[] solutionLengths() {
    return column(traces, TraceFeatures::solutionTokens);
  }

  /** Thinking ÷ solution ratios of every row, for plotting. */
  public double[] ratios() {
    return column(traces, TraceFeatures::ratio);
  }

  private static double[] column(List<TraceFeatures> f, ToDoubleFunction<TraceFeatures> field) {
    return f.stream().mapToDouble(field).toArray();
  }

  private static double sum(List<TraceFeatures> f, ToDoubleFunction<TraceFeatures> field) {
    return f.stream().mapToDouble(field).sum();
  }

  private static double share(List<TraceFeatures> f, ToDoubleFunction<TraceFeatures> indicator) {
    return f.isEmpty() ? Double.NaN : sum(f, indicator) / f.size();
  }

  private static double per1k(double count, double tokens) {
    return tokens == 0 ? Double.NaN : 1000 * count / tokens;
  }
}
