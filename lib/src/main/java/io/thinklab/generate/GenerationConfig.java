package io.thinklab.generate;

import java.util.List;
import java.util.Set;

/**
 * What to generate and when to stop.
 *
 * @param maxNewTokens the budget: at most this many tokens per sample
 * @param sampling     greedy or seeded sampling
 * @param thinkStop    whether the seed's rule stops a sample ({@link ThinkStop}); on by default
 * @param stopStrings  texts that stop a sample (cut before the string)
 * @param eosIds       token ids that end a sample (the tokenizer's EOS; a chat model's end-of-turn too)
 */
public record GenerationConfig(int maxNewTokens, Sampling sampling, boolean thinkStop, List<String> stopStrings,
                               Set<Long> eosIds) {

  public GenerationConfig {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("max_new_tokens must be ≥ 1, got " + maxNewTokens);
    }
    stopStrings = List.copyOf(stopStrings);
    eosIds = Set.copyOf(eosIds);
  }

  /** Greedy, 256 new tokens, the seed's rule on, stopping at {@code eosId}. */
  public static GenerationConfig defaults(long eosId) {
    return new GenerationConfig(256, Sampling.greedy(), true, List.of(), Set.of(eosId));
  }

  public GenerationConfig maxNewTokens(int n) {
    return new GenerationConfig(n, sampling, thinkStop, stopStrings, eosIds);
  }

  public GenerationConfig sampling(Sampling s) {
    return new GenerationConfig(maxNewTokens, s, thinkStop, stopStrings, eosIds);
  }

  public GenerationConfig thinkStop(boolean on) {
    return new GenerationConfig(maxNewTokens, sampling, on, stopStrings, eosIds);
  }

  public GenerationConfig stopStrings(List<String> strings) {
    return new GenerationConfig(maxNewTokens, sampling, thinkStop, strings, eosIds);
  }
}
