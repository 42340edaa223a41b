package io.thinklab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.thinklab.model.Ops;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter, 2019), as {@code torch.optim.AdamW}, with its
 * moments in fp32 whatever the parameters' dtype (DJL's built-in keeps them in the weight's dtype).
 *
 * <pre>
 *   p ← p − lr·λ·p
 *   m ← β₁m + (1 − β₁)g          v ← β₂v + (1 − β₂)g²
 *   p ← p − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * </pre>
 * Defaults as Transformers: β₁ 0.9, β₂ 0.999, ε 1e-8.
 */
public final class AdamW implements AutoCloseable {
  public static final double BETA1 = 0.9;
  public static final double BETA2 = 0.999;
  public static final double EPS = 1e-8;

  private final Map<String, NDArray> params;
  private final NDManager manager;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long t;

  /** An optimizer for these named fp32 parameters; its state lives in a sub-manager of theirs. */
  public AdamW(Map<String, NDArray> params) {
    this.params = new LinkedHashMap<>(params);
    this.manager = params.values().iterator().next().getManager().newSubManager();
    params.forEach((name, p) -> {
      m.put(name, manager.zeros(p.getShape(), DataType.FLOAT32));
      v.put(name, manager.zeros(p.getShape(), DataType.FLOAT32));
    });
  }

  /** Optimizer steps taken so far (t in the bias corrections). */
  public long steps() {
    return t;
  }

  /**
   * One update from the parameters' current gradients (already unscaled and clipped). Must run outside an
   * {@link io.thinklab.model.Autograd} recording; temporaries go to {@code scratch}. The step's scalars (β's, bias
   * corrections, lr) are made once per step, as float64 0-d arrays like DJL's {@code mul(double)} makes per call:
   * the same bits, without a host scalar per parameter and operation.
   */
  public void step(double lr, double weightDecay, NDManager scratch) {
    t++;
    double c1 = 1 - Math.pow(BETA1, t);
    double c2 = 1 - Math.pow(BETA2, t);
    NDArray decay = weightDecay > 0 ? scalar(scratch, lr * weightDecay) : null;
    NDArray beta1 = scalar(scratch, BETA1);
    NDArray oneMinusBeta1 = scalar(scratch, 1 - BETA1);
    NDArray beta2 = scalar(scratch, BETA2);
    NDArray oneMinusBeta2 = scalar(scratch, 1 - BETA2);
    NDArray correction2 = scalar(scratch, c2);
    NDArray eps = scalar(scratch, EPS);
    NDArray stepSize = scalar(scratch, lr / c1);
    for (var e : params.entrySet()) {
      NDArray p = e.getValue();
      NDArray g = p.getGradient();
      g.attach(scratch);
      NDArray mi = m.get(e.getKey());
      NDArray vi = v.get(e.getKey());
      if (decay != null) {
        p.subi(tmp(p.mul(decay), scratch));
      }
      mi.muli(beta1).addi(tmp(g.mul(oneMinusBeta1), scratch));
      vi.muli(beta2).addi(tmp(g.square().mul(oneMinusBeta2), scratch));
      NDArray denom = tmp(vi.div(correction2), scratch).sqrt().add(eps);
      p.subi(tmp(mi.mul(stepSize), scratch).div(denom));
    }
  }

  private static NDArray scalar(NDManager scratch, double value) {
    return Ops.constant(scratch, DataType.FLOAT64, value);
  }

  private static NDArray tmp(NDArray a, NDManager scratch) {
    a.attach(scratch);
    return a;
  }

  /** The moments by name ({@code m.<param>}, {@code v.<param>}) for a checkpoint. */
  public Map<String, NDArray> state() {
    Map<String, NDArray> s = new LinkedHashMap<>();
    m.forEach((k, a) -> s.put("m." + k, a));
    v.forEach((k, a) -> s.put("v." + k, a));
    return s;
  }

  /** Restores moments and the step count from a checkpoint (bit-exact: fp32 to fp32). */
  public void restore(Map<String, float[]> state, long steps) {
    m.forEach((k, a) -> a.set(require(state, "m." + k)));
    v.forEach((k, a) -> a.set(require(state, "v." + k)));
    t = steps;
  }

  private static float[] require(Map<String, float[]> state, String key) {
    float[] x = state.get(key);
    if (x == null) {
      throw new IllegalArgumentException("optimizer checkpoint lacks '" + key + "'");
    }
    return x;
  }

  @Override
  public void close() {
    manager.close();
  }
}
