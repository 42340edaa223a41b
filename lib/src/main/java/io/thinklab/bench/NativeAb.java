package io.thinklab.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.model.Autograd;
import io.thinklab.model.LlamaConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.NativeOps;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * The native extension against DJL's code in one process, step by step: forward + loss + backward of a LoRA step
 * (LoRA as {@link LoraStep}, random model of a named shape, fp32), the extension switched on and off on alternate
 * steps so that both sides see the same load on a shared machine. Reported per side: the median step in wall time and
 * in the calling thread's CPU time (with one libtorch thread all the math runs on it; other processes' use of the
 * cores does not count, nor the JVM's own threads). The optimizer's update, the same either way, is left out.
 *
 * <p>Run: {@code OMP_NUM_THREADS=1 java -cp lib/target/thinklab.jar:lib/target/lib/* io.thinklab.bench.NativeAb
 * tiny-thinker 4 256 12} (shape, micro-batch, sequence length, steps per side after one warm-up each). Needs the
 * library (environment/lab native).
 */
public final class NativeAb {
  private NativeAb() {}

  public static void main(String[] args) {
    String shape = args.length > 0 ? args[0] : "tiny-thinker";
    int micro = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int seq = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    int steps = args.length > 3 ? Integer.parseInt(args[3]) : 12;
    Device device = Engine.getInstance().defaultDevice();
    NativeOps.Status status = NativeOps.status();
    if (!status.available()) {
      System.err.println("native extension not available: " + status.message());
      System.exit(1);
    }
    JniUtils.setNumThreads(1);
    LlamaConfig config = LlamaConfig.parse(LoraStep.configJson(shape), shape);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    double[][] wall = new double[2][steps];
    double[][] thread = new double[2][steps];
    try (LlamaModel model = LlamaModel.randomOnDevice(config, ai.djl.ndarray.types.DataType.FLOAT32, device, 1);
         LoraAdapter ad = LoraAdapter.init(config, LoraStep.lora(shape), device, 2)) {
      model.attach(ad);
      Random r = new Random(3);
      long[] ids = new long[micro * seq];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = r.nextInt(config.vocabSize());
      }
      for (int s = -1; s < steps; s++) { // step −1: one warm-up per side
        for (int side = 0; side < 2; side++) {
          int on = (s + side) % 2 == 0 ? 1 : 0; // alternate which side goes first
          NativeOps.setEnabled(on == 1);
          long w0 = System.nanoTime();
          long c0 = cpu.getCurrentThreadCpuTime();
          try (NDManager sm = model.manager().newSubManager()) {
            NDArray x = sm.create(ids, new Shape(micro, seq));
            try (Autograd.Recording gc = Autograd.record()) {
              NDArray loss = LlamaModel.lossSum(model.forward(x, null, true), x);
              gc.backward(loss);
              loss.getFloat();
            }
          }
          if (s >= 0) {
            wall[on][s] = (System.nanoTime() - w0) / 1e9;
            thread[on][s] = (cpu.getCurrentThreadCpuTime() - c0) / 1e9;
          }
          for (NDArray p : ad.parameters()) {
            NDArray g = p.getGradient();
            g.set(new NDIndex("..."), 0);
            g.close();
          }
        }
      }
    }
    double tokens = (double) micro * seq;
    System.out.printf("{\"shape\": \"%s\", \"micro\": %d, \"seq\": %d, \"steps_per_side\": %d,"
            + " \"djl_tokens_per_s\": %.1f, \"native_tokens_per_s\": %.1f, \"djl_thread_cpu_tokens_per_s\": %.1f,"
            + " \"native_thread_cpu_tokens_per_s\": %.1f, \"speedup_wall\": %.3f, \"speedup_thread_cpu\": %.3f}%n",
        shape, micro, seq, steps, tokens / median(wall[0]), tokens / median(wall[1]), tokens / median(thread[0]),
        tokens / median(thread[1]), median(wall[0]) / median(wall[1]), median(thread[0]) / median(thread[1]));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
