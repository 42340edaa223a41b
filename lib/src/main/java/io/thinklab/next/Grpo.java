package io.thinklab.next;

import io.thinklab.eval.Answers;
import io.thinklab.generate.Generation;
import io.thinklab.generate.ThinkStop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Group Relative Policy Optimization (Shao et al., DeepSeekMath, 2024; the RL stage of DeepSeek-R1), its two
 * pieces that need no training loop: the <em>verifiable reward</em> and the <em>group-relative advantage</em>.
 *
 * <p>Data: prompts whose answers a program can check (here the lab's problems, graded by
 * {@link Answers}: the {@code Final answer: N} line). For each prompt the policy samples a group of G completions;
 * each gets a reward, and its advantage is how much better it did than its own group:
 * <pre>
 *   A_i = (r_i − mean(r)) / std(r)        over the G rewards of one prompt
 * </pre>
 * No value network (PPO's critic) is needed: the group's mean is the baseline. A group whose rewards are all equal
 * (every sample right, or every sample wrong) has std 0 and carries no signal: its advantages are 0 here (the
 * division is skipped), so such a prompt teaches nothing in that step. Implementations differ in details: some
 * divide by the sample (n − 1) standard deviation plus a small epsilon, some do not divide at all (Dr. GRPO); this
 * class uses the population standard deviation and returns zeros when it is 0.
 *
 * <p>A GRPO step would then raise the log-probability of each sampled token in proportion to its completion's
 * advantage (clipped as PPO does, with a KL penalty to a reference model); that loop is not here.
 */
public final class Grpo {
  private Grpo() {}

  /** Below this standard deviation a group counts as all-equal (advantages 0). */
  public static final double ZERO_STD = 1e-9;

  /**
   * Group-relative advantages: {@code (r − mean) / std} with the population std; all zeros when the std is 0.
   *
   * @throws IllegalArgumentException for an empty group or a reward that is not a finite number
   */
  public static double[] advantages(double[] rewards) {
    if (rewards.length == 0) {
      throw new IllegalArgumentException("a GRPO group needs at least one reward (sample several answers per prompt)");
    }
    for (int i = 0; i < rewards.length; i++) {
      if (!Double.isFinite(rewards[i])) {
        throw new IllegalArgumentException("reward " + i + " of the group is " + rewards[i] + ": rewards must be finite");
      }
    }
    double mean = mean(rewards);
    double std = std(rewards);
    double[] a = new double[rewards.length];
    if (std < ZERO_STD) {
      return a; // all equal: no sample is better than its group, nothing to learn from this prompt
    }
    for (int i = 0; i < a.length; i++) {
      a[i] = (rewards[i] - mean) / std;
    }
    return a;
  }

  /** The mean of the rewards. */
  public static double mean(double[] rewards) {
    return Arrays.stream(rewards).average().orElse(Double.NaN);
  }

  /** The population standard deviation (divide by n, not n − 1). */
  public static double std(double[] rewards) {
    double mean = mean(rewards);
    double ss = 0;
    for (double r : rewards) {
      ss += (r - mean) * (r - mean);
    }
    return Math.sqrt(ss / rewards.length);
  }

  /**
   * One completion's reward.
   *
   * @param correct whether the graded final answer matches the reference ({@link Answers#correct})
   * @param closed  whether the completion closed its reasoning with {@code </think>}
   * @param answer  the extracted final answer, or null
   * @param value   1 if correct, else 0; plus the format bonus when closed
   */
  public record Reward(boolean correct, boolean closed, String answer, double value) {}

  /**
   * The lab's verifiable reward of a generated completion (the text after the prompt's {@code <think>}): 1 when its
   * final answer is correct, else 0, plus {@code formatBonus} when it closed {@code </think>} (0 for correctness
   * alone). The text splits at the first {@code </think>} as {@link Generation#thinking()} does.
   */
  public static Reward reward(String completion, Object reference, double formatBonus) {
    if (!(formatBonus >= 0) || !Double.isFinite(formatBonus)) {
      throw new IllegalArgumentException("the format bonus must be ≥ 0, got " + formatBonus);
    }
    if (reference == null) {
      throw new IllegalArgumentException("a verifiable reward needs the problem's reference answer (metadata"
          + " 'answer'), got none");
    }
    int close = completion.indexOf(ThinkStop.CLOSE);
    String thinking = close < 0 ? completion : completion.substring(0, close);
    String solution = close < 0 ? "" : completion.substring(close + ThinkStop.CLOSE.length());
    boolean correct = Answers.correct(solution, thinking, reference);
    String answer = Answers.extract(solution, thinking).orElse(null);
    return new Reward(correct, close >= 0, answer, (correct ? 1 : 0) + (close >= 0 ? formatBonus : 0));
  }

  /** {@link #reward(String, Object, double)} of a generation's text. */
  public static Reward reward(Generation g, Object reference, double formatBonus) {
    return reward(g.text(), reference, formatBonus);
  }

  /**
   * One prompt's group: its sampled completions, their rewards and advantages.
   *
   * @param id         the problem's id
   * @param reference  its reference answer
   * @param samples    the G sampled completions
   * @param rewards    one per sample
   * @param advantages one per sample ({@link #advantages})
   */
  public record Group(String id, Object reference, List<Generation> samples, List<Reward> rewards,
                      double[] advantages) {

    public Group {
      samples = List.copyOf(samples);
      rewards = List.copyOf(rewards);
      advantages = advantages.clone();
      if (samples.size() != rewards.size() || rewards.size() != advantages.length) {
        throw new IllegalArgumentException(id + ": " + samples.size() + " samples, " + rewards.size() + " rewards, "
            + advantages.length + " advantages: need one of each per sample");
      }
    }

    @Override
    public double[] advantages() {
      return advantages.clone();
    }

    /** The rewards' values. */
    public double[] values() {
      return rewards.stream().mapToDouble(Reward::value).toArray();
    }

    /** How many samples got the answer right. */
    public int correct() {
      return (int) rewards.stream().filter(Reward::correct).count();
    }

    /** Whether the group's rewards differ, so that its advantages are not all 0 (it teaches something). */
    public boolean hasSignal() {
      return Arrays.stream(advantages).anyMatch(a -> a != 0);
    }
  }

  /** Rewards and advantages of {@code samples}, G completions sampled for one prompt. */
  public static Group group(String id, Object reference, List<Generation> samples, double formatBonus) {
    List<Reward> rewards = new ArrayList<>();
    for (Generation g : samples) {
      rewards.add(reward(g, reference, formatBonus));
    }
    return new Group(id, reference, samples, rewards,
        advantages(rewards.stream().mapToDouble(Reward::value).toArray()));
  }
}
