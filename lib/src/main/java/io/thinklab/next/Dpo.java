package io.thinklab.next;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.thinklab.model.Autograd;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.NextTokenLoss;
import io.thinklab.train.Sequence;

/**
 * Direct Preference Optimization (Rafailov et al., 2023), the loss of one preference pair.
 *
 * <p>Data: a prompt x with a <em>chosen</em> completion y<sub>c</sub> and a <em>rejected</em> one y<sub>r</sub>.
 * Two models score them: the policy π being trained and a frozen reference π<sub>ref</sub> (the SFT model DPO
 * starts from). With sequence log-probabilities summed over the completion's tokens only,
 * <pre>
 *   margin = β · ( (log π(y_c|x) − log π_ref(y_c|x)) − (log π(y_r|x) − log π_ref(y_r|x)) )
 *   loss   = −log σ(margin) = log(1 + e^(−margin))
 * </pre>
 * At the start of DPO the policy <em>is</em> the reference, so the margin is 0 and the loss is ln 2 ≈ 0.6931 for
 * every pair. Training lowers it by raising the chosen completion's probability relative to the reference more
 * than the rejected one's; β (0.1 in TRL's {@code DPOConfig}) sets how far the policy may drift from the reference.
 * β · (log π − log π_ref) of one completion is DPO's "implicit reward".
 */
public final class Dpo {
  private Dpo() {}

  /** TRL's default β. */
  public static final double DEFAULT_BETA = 0.1;

  /**
   * Summed log-probabilities of a pair's two completions under one model.
   *
   * @param chosen   log π(y_c | x)
   * @param rejected log π(y_r | x)
   */
  public record LogProbs(double chosen, double rejected) {}

  /**
   * One pair's DPO figures.
   *
   * @param policy    the policy's log-probabilities
   * @param reference the reference's
   * @param beta      β
   * @param margin    β · ((π_c − ref_c) − (π_r − ref_r))
   * @param loss      −log σ(margin)
   */
  public record Result(LogProbs policy, LogProbs reference, double beta, double margin, double loss) {

    /** The chosen completion's implicit reward β · (log π(y_c) − log π_ref(y_c)). */
    public double chosenReward() {
      return beta * (policy.chosen() - reference.chosen());
    }

    /** The rejected completion's implicit reward. */
    public double rejectedReward() {
      return beta * (policy.rejected() - reference.rejected());
    }
  }

  /** β · ((π_c − ref_c) − (π_r − ref_r)). */
  public static double margin(LogProbs policy, LogProbs reference, double beta) {
    requireBeta(beta);
    requireFinite(policy, "policy");
    requireFinite(reference, "reference");
    return beta * ((policy.chosen() - reference.chosen()) - (policy.rejected() - reference.rejected()));
  }

  /** −log σ(margin), computed without overflow for margins of any size. */
  public static double loss(LogProbs policy, LogProbs reference, double beta) {
    return softplus(-margin(policy, reference, beta));
  }

  /** All of a pair's figures from its four log-probabilities. */
  public static Result result(LogProbs policy, LogProbs reference, double beta) {
    double m = margin(policy, reference, beta);
    return new Result(policy, reference, beta, m, softplus(-m));
  }

  /** log(1 + e^x), stable for large |x|. */
  static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /**
   * log π(completion | prompt): the sum of the completion tokens' log-probabilities, the prompt tokens masked out
   * (label −100), computed with the training loss ({@link io.thinklab.model.NextTokenLoss#sum}: minus it is this sum). Runs the
   * model as it is now, LoRA adapter included when attached, without dropout, and with PyTorch's grad mode off
   * (restored afterwards): a score, not a training step, so no autograd graph is built even on a notebook cell's
   * thread, where grad mode starts on.
   *
   * @param prompt     the prompt's token ids (BOS included, as the model was trained), at least one
   * @param completion the completion's token ids (append the EOS id when the sample ended with it), at least one
   */
  public static double sequenceLogProb(LlamaModel model, long[] prompt, long[] completion) {
    if (prompt.length == 0 || completion.length == 0) {
      throw new IllegalArgumentException("sequence log-prob needs a prompt and a completion of at least one token"
          + " each, got " + prompt.length + " and " + completion.length);
    }
    long[] ids = new long[prompt.length + completion.length];
    System.arraycopy(prompt, 0, ids, 0, prompt.length);
    System.arraycopy(completion, 0, ids, prompt.length, completion.length);
    long vocab = model.config().vocabSize();
    for (long id : ids) {
      if (id < 0 || id >= vocab) {
        throw new IllegalArgumentException("token id " + id + " is outside the model's vocabulary (0.." + (vocab - 1)
            + ")");
      }
    }
    Sequence s = Sequence.completionOnly("dpo", ids, prompt.length);
    try (Autograd.Paused p = Autograd.pause(); NDManager sm = model.manager().newSubManager()) {
      var x = sm.create(s.ids(), new Shape(1, ids.length));
      var labels = sm.create(s.labels(), new Shape(1, ids.length));
      return -NextTokenLoss.sum(model.forward(x, null, false), labels).getFloat();
    }
  }

  /** Both completions of a pair scored by {@code model}. */
  public static LogProbs logProbs(LlamaModel model, long[] prompt, long[] chosen, long[] rejected) {
    return new LogProbs(sequenceLogProb(model, prompt, chosen), sequenceLogProb(model, prompt, rejected));
  }

  private static void requireBeta(double beta) {
    if (!(beta > 0) || !Double.isFinite(beta)) {
      throw new IllegalArgumentException("DPO's beta must be a positive number (TRL's default is 0.1), got " + beta);
    }
  }

  private static void requireFinite(LogProbs p, String which) {
    if (!Double.isFinite(p.chosen()) || !Double.isFinite(p.rejected())) {
      throw new IllegalArgumentException("the " + which + "'s log-probabilities must be finite, got " + p);
    }
  }
}
