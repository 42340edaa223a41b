package io.thinklab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.model.Ops;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The ops a LoRA step spends its time in, one at a time, timed through DJL: the same list as
 * {@code environment/peer/op_bench.py} times through PyTorch's Python API, same shapes, same thread count. Equal
 * kernels should take equal time; a gap here is in the native library or the call path, not in ThinkLab's model.
 * Also times a trivial op (a 1-element add) to measure the per-call overhead of each side.
 *
 * <p>Run: {@code java -cp … io.thinklab.bench.OpBench [threads] [repeats]}; one JSON line, microseconds (median).
 */
public final class OpBench {
  private OpBench() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Engine.getInstance();
    JniUtils.setNumThreads(threads);
    Map<String, Double> us = new LinkedHashMap<>();
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(0);
      NDArray x = m.randomNormal(new Shape(1024, 256));        // tiny thinker: B·T × H
      NDArray w = m.randomNormal(new Shape(256, 256));
      NDArray q = m.randomNormal(new Shape(4, 8, 256, 32));    // (B, nh, T, hd)
      NDArray k = m.randomNormal(new Shape(4, 8, 256, 32));
      NDArray s = m.randomNormal(new Shape(4, 8, 256, 256));   // scores
      NDArray xs = m.randomNormal(new Shape(512, 576));        // SmolLM2: B·T × H
      NDArray wu = m.randomNormal(new Shape(1536, 576));
      NDArray head = m.randomNormal(new Shape(49152, 576));
      NDArray one = m.create(new float[] {1f});
      us.put("linear_1024x256x256", time(repeats, () -> Ops.linear(x, w, null)));
      us.put("matmul_qk_4x8x256x32", time(repeats, () -> q.matMul(k.transpose(0, 1, 3, 2))));
      us.put("softmax_4x8x256x256", time(repeats, () -> JniUtils.softmax((PtNDArray) s, -1, DataType.FLOAT32)));
      us.put("mul_scalar_4x8x256x256", time(repeats, () -> Ops.scale(s, 0.125)));
      us.put("dropout_1024x256", time(repeats, () -> Ops.dropout(x, 0.05, true)));
      us.put("linear_512x576x1536", time(repeats, () -> Ops.linear(xs, wu, null)));
      us.put("lm_head_512x576x49152", time(Math.max(3, repeats / 4), () -> Ops.linear(xs, head, null)));
      us.put("add_1_element", time(repeats * 20, () -> one.add(one)));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("side", "thinklab");
    out.put("threads", JniUtils.getNumThreads());
    out.put("median_us", us);
    System.out.println(new ObjectMapper().writeValueAsString(out));
  }

  /** Median microseconds of {@code n} calls (two warm-ups first), each result closed at once. */
  static double time(int n, Supplier<NDArray> op) {
    for (int i = 0; i < 2; i++) {
      op.get().close();
    }
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      NDArray r = op.get();
      t[i] = (System.nanoTime() - t0) / 1e3;
      r.close();
    }
    Arrays.sort(t);
    return Math.round(t[n / 2] * 10) / 10.0;
  }
}
