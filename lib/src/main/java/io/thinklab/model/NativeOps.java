package io.thinklab.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ThinkLab's native extension ({@code environment/native/}): the fused PyTorch ops DJL's Java API lacks, run on DJL's
 * own tensors: attention through {@code scaled_dot_product_attention} (causal, grouped-query; PyTorch picks its fused
 * kernel for the device), RMSNorm, rotary embedding, SwiGLU, a differentiable dtype cast and the LM head fused with
 * the cross-entropy (chunked, the logits never whole). The library links to the
 * libtorch DJL has loaded, so its results are ordinary DJL arrays in one autograd graph: DJL's {@code backward} walks
 * through them and DJL's {@code close} frees them.
 *
 * <p>Opt-in. The model uses it only when the environment variable {@code THINKLAB_NATIVE} (or the system property
 * {@code thinklab.native}, which wins) is {@code 1} (the library at {@code build/native/libthinklab_native.so} of this
 * checkout, which {@code environment/lab native} builds) or the library's path. Unset, empty or {@code 0}: every op
 * runs the pure-DJL code beside its dispatch line, bit for bit as without this class. Asked for but not loadable: the
 * first op throws with {@link #status()}'s reason (library not built, wrong path, another libtorch).
 *
 * <p>Each op equals the model's DJL code within float rounding ({@code NativeOpsTest}: forward and gradients, fp32).
 */
public final class NativeOps {
  private NativeOps() {}

  /** The library's file name; {@code environment/native/build.sh} writes it into {@code build/native/}. */
  public static final String LIBRARY = "libthinklab_native.so";

  private static final String CAUSAL = "thinklab.causal-mask";

  /**
   * Whether the extension can be used here and, if not, why.
   *
   * @param available the library is loaded and was built against the libtorch DJL runs
   * @param library   the file looked for (null when not even the engine is there)
   * @param message   what was found: "loaded …", or the missing piece and how to get it
   */
  public record Status(boolean available, Path library, String message) {}

  private static volatile Status status;   // resolved once per process: a library loads only once
  private static volatile Boolean enabled; // null: not yet read from THINKLAB_NATIVE / thinklab.native

  // ---------------------------------------------------------------- switch and status

  /**
   * Whether the model's ops take the native path: {@code THINKLAB_NATIVE} / {@code thinklab.native} set (not 0), or
   * {@link #setEnabled} called. Throws when asked for but unavailable, naming the reason: a silent fallback would
   * make a benchmark of the extension measure DJL's code.
   */
  public static boolean enabled() {
    Boolean on = enabled;
    if (on == null) {
      on = requested() != null;
      enabled = on;
    }
    if (on && !status().available()) {
      throw new IllegalStateException("the native extension was asked for (" + source() + ") but is not available: "
          + status().message());
    }
    return on;
  }

  /** Turns the native path on or off for this process (tests, benchmarks); returns the previous setting. */
  public static boolean setEnabled(boolean on) {
    boolean before = Boolean.TRUE.equals(enabled) || (enabled == null && requested() != null);
    enabled = on;
    return before;
  }

  /** Loads the library if that has not been tried yet (after DJL's PyTorch engine), and says how it went. */
  public static Status status() {
    Status s = status;
    if (s == null) {
      synchronized (NativeOps.class) {
        if (status == null) {
          status = load();
        }
        s = status;
      }
    }
    return s;
  }

  /** THINKLAB_NATIVE's value (the property's if set); null when unset, empty or 0. */
  private static String requested() {
    String v = System.getProperty("thinklab.native", System.getenv("THINKLAB_NATIVE"));
    return v == null || v.isBlank() || v.strip().equals("0") ? null : v.strip();
  }

  private static String source() {
    return System.getProperty("thinklab.native") != null ? "-Dthinklab.native" : "THINKLAB_NATIVE";
  }

  private static Status load() {
    Engine engine;
    try {
      engine = Engine.getEngine("PyTorch"); // loads libtorch first: the library links to it by name
    } catch (RuntimeException e) {
      return new Status(false, null, "DJL's PyTorch engine did not start: " + e.getMessage());
    }
    String asked = requested();
    Path lib;
    if (asked == null || asked.equals("1")) {
      List<Path> looked = candidates();
      lib = looked.stream().filter(Files::isRegularFile).findFirst().orElse(null);
      if (lib == null) {
        return new Status(false, looked.get(0), "library file not built: no build/native/" + LIBRARY + " in "
            + Path.of("").toAbsolutePath() + " or its parents, nor above this jar (build it with environment/lab"
            + " native, or set THINKLAB_NATIVE to the library's path)");
      }
    } else {
      lib = Path.of(asked).toAbsolutePath();
      if (!Files.isRegularFile(lib)) {
        return new Status(false, lib, "path: " + source() + "=" + asked + " names no file (" + lib
            + "); set it to 1 for build/native/" + LIBRARY + " or to the built library's path");
      }
    }
    try {
      System.load(lib.toString());
    } catch (UnsatisfiedLinkError e) {
      String why = e.getMessage() != null && e.getMessage().contains("undefined symbol")
          ? "libtorch mismatch: it needs a symbol the libtorch DJL loaded (" + engine.getVersion() + ") lacks"
          : "could not load it";
      return new Status(false, lib, why + ": " + e.getMessage() + " (rebuild: environment/native/build.sh)");
    }
    String built = torchVersion0();
    String running = engine.getVersion();
    if (!strip(built).equals(strip(running))) {
      return new Status(false, lib, "libtorch mismatch: " + lib + " was built against libtorch " + built
          + ", DJL runs " + running + " (rebuild: environment/native/build.sh)");
    }
    return new Status(true, lib, "loaded " + lib + " (built against libtorch " + built + ", DJL runs " + running + ")");
  }

  private static String strip(String version) { // "2.7.1+cu126" -> "2.7.1"
    int plus = version.indexOf('+');
    return plus < 0 ? version : version.substring(0, plus);
  }

  /** build/native/libthinklab_native.so in the working directory and its parents, then beside this class's jar. */
  private static List<Path> candidates() {
    List<Path> starts = new ArrayList<>(List.of(Path.of("").toAbsolutePath()));
    try {
      starts.add(Path.of(NativeOps.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      // no code source (an unusual class loader): the working directory alone
    }
    List<Path> found = new ArrayList<>();
    for (Path start : starts) {
      for (Path d = start; d != null; d = d.getParent()) {
        Path p = d.resolve("build").resolve("native").resolve(LIBRARY);
        if (!found.contains(p)) {
          found.add(p);
        }
      }
    }
    return found;
  }

  // ---------------------------------------------------------------- bf16 for DJL

  private static volatile boolean bf16;

  /**
   * Makes DJL's PyTorch engine handle bfloat16 in this process, or throws naming what is missing. DJL 0.36's JNI has
   * no case for bf16 in its dtype switches: a bf16 tensor reports {@code UNKNOWN}, and {@code toType}, {@code zeros},
   * {@code softmax} … handed {@link DataType#BFLOAT16} abort the JVM. The extension rebinds those JNI methods to its
   * own (environment/native/djl_bf16.cpp): bf16 is handled there, every other dtype still runs DJL's code. Needs the
   * library (built by {@code environment/lab native}), not {@code THINKLAB_NATIVE}: the model's ops stay DJL's unless
   * that is set too. Calling it again is free.
   */
  public static void requireBf16() {
    if (bf16) {
      return;
    }
    synchronized (NativeOps.class) {
      if (bf16) {
        return;
      }
      Status s = status();
      if (!s.available()) {
        throw new IllegalStateException("bf16 needs ThinkLab's native extension (DJL 0.36's JNI has no bf16 case;"
            + " the extension adds it), which is not available: " + s.message());
      }
      String why;
      try {
        Class<?> library = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary", true, PtNDArray.class.getClassLoader());
        why = installBf160(library, mappedLibrary("libdjl_torch.so"));
      } catch (ClassNotFoundException | IOException | RuntimeException e) {
        why = e.toString();
      }
      if (why != null) {
        throw new IllegalStateException("bf16: could not extend DJL's JNI (" + s.library() + "): " + why);
      }
      bf16 = true;
    }
  }

  /**
   * Whether bf16 can be used here: {@link #requireBf16} succeeds (the library loads and extends DJL's JNI) and, on a
   * GPU, the card computes in bf16 natively (compute capability 8.0 or more: A100, H100; a T4 or V100 would emulate
   * it slowly). Never throws.
   */
  public static boolean bf16Usable(ai.djl.Device device) {
    try {
      requireBf16();
      return !device.isGpu() || Integer.parseInt(ai.djl.util.cuda.CudaUtils.getComputeCapability(
          device.getDeviceId())) >= 80;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Lets a GPU run fp32 matrix products in TF32 (10-bit mantissa on the tensor cores, fp32's range) or not: PyTorch's
   * {@code torch.set_float32_matmul_precision("high")} / {@code ("highest")}, the default. The Hugging Face baseline
   * the lab compares with turns it on; a bf16 or fp16 base's own products are unaffected, the fp32 LoRA masters' are.
   * No effect on a CPU. Process-wide; returns the previous setting. Needs the library.
   */
  public static boolean allowTf32(boolean on) {
    Status s = status();
    if (!s.available()) {
      throw new IllegalStateException("TF32 is set through ThinkLab's native extension, which is not available: "
          + s.message());
    }
    return allowTf320(on);
  }

  /** The path of a loaded native library whose file name ends with {@code suffix}, read from /proc/self/maps. */
  private static String mappedLibrary(String suffix) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .map(l -> l.substring(l.indexOf('/') < 0 ? l.length() : l.indexOf('/')))
        .filter(p -> p.endsWith(suffix)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + suffix + " is mapped: DJL's PyTorch engine not started"));
  }

  // ---------------------------------------------------------------- the ops

  /**
   * {@code softmax(q·kᵀ/√hd + mask)·v} through PyTorch's {@code scaled_dot_product_attention}: (B, nh, T, hd).
   *
   * @param q    queries (B, nh, T, hd)
   * @param k    keys (B, nkv, S, hd), nh a multiple of nkv (grouped-query attention: not repeated by the caller)
   * @param v    values (B, nkv, S, hd)
   * @param mask the model's additive mask (B or 1, 1, T, S); one {@link #markCausal marked causal} is not read: the
   *             kernel applies the causal pattern itself and skips the blocks above the diagonal
   */
  public static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask) {
    return wrap(q, attention0(handle(q), handle(k), handle(v), isCausal(mask) ? 0 : handle(mask)));
  }

  /** The kernel {@link #attention} runs for these inputs: "math", "flash_attention", "efficient_attention", … */
  public static String attentionKernel(NDArray q, NDArray k, NDArray v, NDArray mask) {
    long kernel = attentionKernel0(handle(q), handle(k), handle(v), isCausal(mask) ? 0 : handle(mask));
    String[] names = {"math", "flash_attention", "efficient_attention", "cudnn_attention", "overrideable"};
    return kernel >= 0 && kernel < names.length ? names[(int) kernel] : "error";
  }

  /**
   * Marks a mask as the plain causal one (query i sees keys j ≤ i, no padding, T = S), which {@link #attention} may
   * replace by the kernel's own causal pattern. The array is unchanged; only its name is set.
   */
  public static NDArray markCausal(NDArray mask) {
    mask.setName(CAUSAL);
    return mask;
  }

  private static boolean isCausal(NDArray mask) {
    return CAUSAL.equals(mask.getName());
  }

  /** RMSNorm as the model's: {@code (x₃₂ · rsqrt(mean(x₃₂², −1) + eps)).to(x.dtype) · weight}. */
  public static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
    return wrap(x, rmsNorm0(handle(x), handle(weight), eps));
  }

  /** Rotary embedding, "rotate half" layout: {@code x·cos + [−x₂, x₁]·sin}; x (…, hd), cos and sin broadcastable. */
  public static NDArray rotary(NDArray x, NDArray cos, NDArray sin) {
    return wrap(x, rotary0(handle(x), handle(cos), handle(sin)));
  }

  /** SwiGLU's gating: {@code silu(gate) · up}. */
  public static NDArray swiglu(NDArray gate, NDArray up) {
    return wrap(gate, swiglu0(handle(gate), handle(up)));
  }

  /**
   * The LM head fused with the summed next-token cross-entropy of aligned targets ({@link NextTokenLoss#alignedSum} of
   * {@code hidden · weightᵀ}): a 0-d fp32 array, differentiable in {@code hidden} and {@code weight}. The logits exist
   * only {@code chunkRows} rows at a time, and none is kept for the backward: the gradient is computed in the same
   * pass (the loss is a scalar), the backward only scales it.
   *
   * @param hidden    (…, H) final normalised hidden states in the model's dtype
   * @param weight    (V, H) the head (the embedding table when tied)
   * @param targets   (…) INT64 token ids, −100 where not trained
   * @param chunkRows rows of logits computed at once
   */
  public static NDArray headLossSum(NDArray hidden, NDArray weight, NDArray targets, long chunkRows) {
    return wrap(hidden, headLoss0(handle(hidden), handle(weight), handle(targets), chunkRows));
  }

  /** {@code x} in another float dtype, with a gradient (DJL's {@code toType} has none); x itself if already so. */
  public static NDArray cast(NDArray x, DataType type) {
    if (type == DataType.BFLOAT16) {
      requireBf16(); // else DJL would report the result's dtype as UNKNOWN
    }
    return x.getDataType() == type ? x : wrap(x, cast0(handle(x), scalarType(type)));
  }

  /** c10::ScalarType's number of a float DataType. */
  private static int scalarType(DataType type) {
    return switch (type) {
      case FLOAT16 -> 5;
      case FLOAT32 -> 6;
      case FLOAT64 -> 7;
      case BFLOAT16 -> 15;
      default -> throw new IllegalArgumentException("a differentiable cast goes to a float dtype, not " + type);
    };
  }

  private static long handle(NDArray a) {
    return ((PtNDArray) a).getHandle();
  }

  /** A new handle from the library as a DJL array in {@code first}'s manager (DJL frees it on close). */
  private static NDArray wrap(NDArray first, long handle) {
    return new PtNDArray((PtNDManager) first.getManager(), handle);
  }

  private static native String torchVersion0();

  private static native long attention0(long q, long k, long v, long mask);

  private static native long attentionKernel0(long q, long k, long v, long mask);

  private static native long rmsNorm0(long x, long weight, double eps);

  private static native long rotary0(long x, long cos, long sin);

  private static native long swiglu0(long gate, long up);

  private static native long cast0(long x, int scalarType);

  private static native long headLoss0(long hidden, long weight, long targets, long chunkRows);

  private static native String installBf160(Class<?> pyTorchLibrary, String djlLibrary);

  private static native boolean allowTf320(boolean on);

  // ---------------------------------------------------------------- for the build script

  /**
   * {@code java -cp … io.thinklab.model.NativeOps [--libtorch | --check]}: prints {@link #status()} (exit code 1 when
   * unavailable); with {@code --libtorch}, the version and folder of the libtorch DJL's engine loads here (read from
   * /proc/self/maps), which {@code environment/native/build.sh} links against; with {@code --check}, {@link #check}
   * on the default device (the GPU script runs it on the card).
   */
  public static void main(String[] args) throws IOException {
    if (args.length > 0 && args[0].equals("--libtorch")) {
      Engine engine = Engine.getEngine("PyTorch");
      String dir = Path.of(mappedLibrary("/libtorch_cpu.so")).getParent().toString();
      System.out.println(engine.getVersion() + " " + dir);
      return;
    }
    Status s = status();
    System.out.println((s.available() ? "available: " : "not available: ") + s.message());
    System.exit(s.available() && (args.length == 0 || !args[0].equals("--check") || check()) ? 0 : 1);
  }

  /**
   * The extension against DJL's code on the default device, for a machine without the tests (a GPU): a tiny random
   * model (2 layers, 4 query heads on 2 kv heads, a padded row), every weight trained; its logits and the gradients
   * of every weight with the extension on and off, in fp32 (limit 1e-4 of each array's largest value), fp16 (2e-2)
   * and bf16 (1e-1: 8 significant bits; the bf16 run goes through {@link #requireBf16}).
   * Prints the worst relative difference of each; true when all three are within their limits.
   */
  static boolean check() {
    LlamaConfig config = LlamaConfig.parse("""
        {"model_type": "llama", "hidden_size": 64, "intermediate_size": 96, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 101, "rms_norm_eps": 1e-05}""", "check");
    boolean ok = true;
    for (DataType dtype : new DataType[] {DataType.FLOAT32, DataType.FLOAT16, DataType.BFLOAT16}) {
      double limit = dtype == DataType.FLOAT32 ? 1e-4 : dtype == DataType.FLOAT16 ? 2e-2 : 1e-1;
      try (LlamaModel model = LlamaModel.random(config, dtype, Engine.getInstance().defaultDevice(), 1);
           NDManager m = model.manager().newSubManager()) {
        model.setBaseTrainable(true);
        java.util.Random r = new java.util.Random(2);
        long[] ids = new long[2 * 24];
        long[] keep = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = r.nextInt(config.vocabSize());
          keep[i] = i < 24 + 20 ? 1 : 0; // row 1 right-padded by 4
        }
        NDArray x = m.create(ids, new Shape(2, 24));
        NDArray mask = m.create(keep, new Shape(2, 24));
        NDArray labels = x.duplicate();
        labels.set(new NDIndex("1, 20:"), NextTokenLoss.IGNORE_INDEX);
        List<float[]> off = logitsAndGradients(model, false, x, mask, labels);
        List<float[]> on = logitsAndGradients(model, true, x, mask, labels);
        double worst = 0;
        for (int i = 0; i < off.size(); i++) {
          double scale = 0;
          double diff = 0;
          for (int j = 0; j < off.get(i).length; j++) {
            scale = Math.max(scale, Math.abs(off.get(i)[j]));
            diff = Math.max(diff, Math.abs(off.get(i)[j] - on.get(i)[j]));
          }
          worst = Math.max(worst, scale == 0 ? diff : diff / scale);
        }
        boolean pass = worst <= limit;
        ok &= pass;
        System.out.printf("native check, %s on %s: logits and %d gradients, max |native - DJL| / max |DJL| = %.2e"
            + " (limit %.0e): %s%n", dtype, model.manager().getDevice(), off.size() - 1, worst, limit,
            pass ? "ok" : "DIFFERENT");
      }
    }
    return ok;
  }

  private static List<float[]> logitsAndGradients(LlamaModel model, boolean on, NDArray ids, NDArray mask,
                                                  NDArray labels) {
    boolean before = setEnabled(on);
    try (NDManager sm = ids.getManager().newSubManager()) {
      List<float[]> out = new ArrayList<>();
      try (Autograd.Recording gc = Autograd.record()) {
        NDArray logits = model.forward(ids, mask, false);
        out.add(logits.toType(DataType.FLOAT32, false).toFloatArray());
        gc.backward(NextTokenLoss.sum(logits, labels));
      }
      for (NDArray w : model.weights().values()) {
        NDArray g = w.getGradient();
        out.add(g.toType(DataType.FLOAT32, false).toFloatArray());
        g.set(new NDIndex("..."), 0);
        g.close();
      }
      return out;
    } finally {
      setEnabled(before);
    }
  }
}
