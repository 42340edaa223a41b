package io.thinklab.train;

import ai.djl.ndarray.types.DataType;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.model.LlamaModel;
import java.nio.file.Path;

/** A training run in its own JVM, for the kill-and-resume test: {@code <out> <maxSteps> <checkpointEvery>}. */
public final class TrainProcess {
  private TrainProcess() {}

  public static void main(String[] args) {
    TrainConfig c = TrainerTest.cfg().withMaxSteps(Integer.parseInt(args[1]))
        .withCheckpointEvery(Integer.parseInt(args[2]));
    try (LlamaModel model = TrainerTest.model(DataType.FLOAT32); LoraAdapter ad = TrainerTest.adapter(0.1)) {
      Trainer.lora(model, ad, TrainerTest.reversal(12, 4), c, Path.of(args[0])).quiet().run(false);
    }
  }
}
