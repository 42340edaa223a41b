package io.thinklab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.types.DataType;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.model.LlamaModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's grad mode is per thread and starts enabled on a new thread; DJL turns it off only on the thread that
 * loads the engine. A notebook kernel runs each cell on a thread of its own, so the trainer must not rely on the
 * mode it finds: a model made on one thread trains on another (as notebook 03 does).
 */
class TrainerThreadTest {

  @TempDir
  Path dir;

  @Test
  void trainsOnAThreadOtherThanTheEngines() throws InterruptedException {
    try (LlamaModel model = TrainerTest.model(DataType.FLOAT32); LoraAdapter adapter = TrainerTest.adapter(0)) {
      AtomicReference<Throwable> failed = new AtomicReference<>();
      AtomicReference<List<StepReport>> steps = new AtomicReference<>();
      Thread t = new Thread(() -> {
        try {
          steps.set(Trainer.lora(model, adapter, TrainerTest.reversal(16, 3), TrainConfig.defaults().withMaxSteps(2),
              dir).quiet().run(false));
        } catch (Throwable e) {
          failed.set(e);
        }
      });
      t.start();
      t.join();
      assertNull(failed.get(), () -> "training on a fresh thread failed: " + failed.get());
      assertEquals(2, steps.get().size());
    }
  }

  /**
   * Two trainings at once in one JVM (the truncation ablation's two arms) each give exactly the steps they give
   * alone: autograd records per thread, and each adapter draws from its own seeded generator.
   */
  @Test
  void twoTrainingsAtOnceGiveTheStepsEachGivesAlone() throws Exception {
    TrainConfig cfg = TrainConfig.defaults().withMaxSteps(4);
    List<double[]> alone = List.of(train(cfg, 0, 3), train(cfg, 1, 4));
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var a = two.submit(() -> train(cfg, 0, 3));
      var b = two.submit(() -> train(cfg, 1, 4));
      assertArrayEquals(alone.get(0), a.get(), 0.0, "first training, run beside another");
      assertArrayEquals(alone.get(1), b.get(), 0.0, "second training, run beside another");
    } finally {
      two.shutdown();
    }
  }

  /** Each step's loss and gradient norm, with the checkpointed backward pass for one run in two. */
  private double[] train(TrainConfig cfg, int which, long dataSeed) {
    try (LlamaModel model = TrainerTest.model(DataType.FLOAT32); LoraAdapter adapter = TrainerTest.adapter(0)) {
      TrainConfig c = which == 1 ? cfg.toBuilder().gradientCheckpointing(true).build() : cfg;
      List<StepReport> steps = Trainer.lora(model, adapter, TrainerTest.reversal(16, dataSeed), c,
          dir.resolve("run-" + which + "-" + Thread.currentThread().getId())).quiet().run(false);
      assertEquals(4, steps.size());
      return steps.stream().flatMapToDouble(s -> java.util.stream.DoubleStream.of(s.loss(), s.gradNorm())).toArray();
    }
  }
}
