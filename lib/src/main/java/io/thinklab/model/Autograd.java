package io.thinklab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Recording a forward pass and back-propagating it, on the calling thread only.
 *
 * <p>What it is: the part of DJL's {@code GradientCollector} a trainer needs — switch PyTorch's autograd on for
 * this thread, run {@code backward} from a scalar, switch it back — without the collector's process-wide lock
 * ("only one can be collecting at a time"). PyTorch's grad mode is per thread and its autograd engine runs
 * concurrent backward passes of separate graphs, so two trainings can run side by side in one JVM (the truncation
 * ablation's two arms do). Use it wherever a training path back-propagates:
 * <pre>{@code
 * try (Autograd.Recording r = Autograd.record()) {
 *   NDArray loss = model.forward(...);
 *   r.backward(loss);        // gradients add up in each parameter's .grad
 * }
 * }</pre>
 * and {@link #pause} wherever a path only reads the model (generation, held-out loss, the optimizer's update):
 * PyTorch starts every new thread (a notebook cell, an ablation arm) with autograd on, and a forward pass through
 * an adapter whose weights train would otherwise record a graph nobody back-propagates — several GB of native
 * memory and a several-fold slower decode, measured on notebook 05's evaluation.
 */
public final class Autograd {
  private Autograd() {}

  /** Starts recording on this thread; close the result to restore the grad mode it found. */
  public static Recording record() {
    return new Recording(JniUtils.isGradMode());
  }

  /** Autograd off on this thread until the result is closed, which restores the mode it found. */
  public static Paused pause() {
    return new Paused(JniUtils.isGradMode());
  }

  /** A stretch of code that records nothing: see {@link #pause}. */
  public static final class Paused implements AutoCloseable {
    private final boolean modeBefore;

    private Paused(boolean modeBefore) {
      this.modeBefore = modeBefore;
      JniUtils.setGradMode(false);
    }

    @Override
    public void close() {
      JniUtils.setGradMode(modeBefore);
    }
  }

  /** One recording: {@link #backward} as often as needed, then {@link #close}. */
  public static final class Recording implements AutoCloseable {
    private final boolean modeBefore;

    private Recording(boolean modeBefore) {
      this.modeBefore = modeBefore;
      JniUtils.setGradMode(true);
    }

    /**
     * Back-propagates a scalar: adds d{@code target}/dp to the gradient of every parameter p that requires one.
     * The graph is freed afterwards (no second backward through it).
     */
    public void backward(NDArray target) {
      try (NDArray ones = target.onesLike()) { // the seed gradient, made where the target lives
        JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
      }
    }

    @Override
    public void close() {
      JniUtils.setGradMode(modeBefore);
    }
  }
}
