package io.thinklab.train;

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
}
