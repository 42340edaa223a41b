package io.thinklab.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.generate.StopReason;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model's (or adapter's) evaluation: the figures that say whether it learned the format.
 *
 * @param name               what was evaluated (e.g. {@code base}, {@code truncated}, {@code fixed})
 * @param problems           held-out problems generated for
 * @param maxNewTokens       the generation budget
 * @param closeRate          share that emitted {@code </think>} within the budget
 * @param finishRate         share that closed, wrote a solution and stopped with EOS
 * @param accuracy           share whose final answer matches the reference ({@link Answers})
 * @param meanThinkingTokens mean thinking length in tokens ({@link EvalSample#thinkingTokens})
 * @param p95ThinkingTokens  95th percentile (nearest rank) of the same
 * @param stopRuleFiredRate  share the seed's rule stopped (a second {@code </think>} or a re-opened {@code <think>}): loops
 * @param evalLoss           mean completion-only token loss on held-out formatted examples; NaN when not measured
 */
public record EvalResult(String name, int problems, int maxNewTokens, double closeRate, double finishRate,
                         double accuracy, double meanThinkingTokens, double p95ThinkingTokens,
                         double stopRuleFiredRate, double evalLoss) {

  /** The figures over graded samples. */
  public static EvalResult of(String name, List<EvalSample> samples, int maxNewTokens, double evalLoss) {
    int n = samples.size();
    if (n == 0) {
      throw new IllegalArgumentException("no samples to evaluate");
    }
    int[] thinking = samples.stream().mapToInt(EvalSample::thinkingTokens).sorted().toArray();
    return new EvalResult(name, n, maxNewTokens,
        share(samples.stream().filter(EvalSample::closed).count(), n),
        share(samples.stream().filter(EvalSample::finished).count(), n),
        share(samples.stream().filter(EvalSample::correct).count(), n),
        Arrays.stream(thinking).average().orElse(0),
        thinking[Math.max(0, (int) Math.ceil(0.95 * n) - 1)],
        share(samples.stream().filter(s -> s.generation().reason() == StopReason.THINK_LOOP).count(), n),
        evalLoss);
  }

  /** The 95 % Wilson interval of {@link #closeRate} over {@link #problems}. */
  public Interval closeRateCi() {
    return Interval.ofShare(closeRate, problems);
  }

  /** The 95 % Wilson interval of {@link #finishRate}. */
  public Interval finishRateCi() {
    return Interval.ofShare(finishRate, problems);
  }

  /** The 95 % Wilson interval of {@link #accuracy}. */
  public Interval accuracyCi() {
    return Interval.ofShare(accuracy, problems);
  }

  private static double share(long k, int n) {
    return k / (double) n;
  }

  /** The figures by their JSON keys (snake_case, as {@code thinklab eval --json} prints them). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("problems", problems);
    m.put("max_new_tokens", maxNewTokens);
    m.put("close_rate", round(closeRate));
    m.put("close_rate_ci", closeRateCi().rounded());
    m.put("finish_rate", round(finishRate));
    m.put("finish_rate_ci", finishRateCi().rounded());
    m.put("accuracy", round(accuracy));
    m.put("accuracy_ci", accuracyCi().rounded());
    m.put("mean_thinking_tokens", round(meanThinkingTokens));
    m.put("p95_thinking_tokens", round(p95ThinkingTokens));
    m.put("stop_rule_fired_rate", round(stopRuleFiredRate));
    m.put("eval_loss", Double.isNaN(evalLoss) ? null : round(evalLoss));
    return m;
  }

  /** One JSON object of {@link #toMap()}. */
  public String toJson() {
    try {
      return new ObjectMapper().writeValueAsString(toMap());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
