package io.thinklab.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.NextTokenLoss;
import io.thinklab.safetensors.SafetensorsFile;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ThinkLab against Hugging Face: a tiny random Llama, two PEFT adapters and their logits, losses and LoRA
 * gradients, all produced by Transformers/PEFT in fp32 (see {@code parity/README.md}). Skips when the
 * golden files are not on the test classpath.
 */
class HfParityTest {

  static Path parity() {
    URL u = HfParityTest.class.getResource("/parity/golden.safetensors");
    assumeTrue(u != null, "parity golden files absent: skipped");
    try {
      return Path.of(u.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Max |a − b| over positions where the attention mask is 1 (padded logits are not part of the contract). */
  static double maxDiffWhereReal(float[] a, float[] b, long[] mask, int vocab) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      if (mask[i / vocab] == 1) {
        d = Math.max(d, Math.abs(a[i] - b[i]));
      }
    }
    return d;
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "qkvo", "all"})
  void matchesTransformersAndPeft(String variant) {
    Path dir = parity();
    SafetensorsFile golden = SafetensorsFile.open(dir.resolve("golden.safetensors"));
    String suffix = variant.isEmpty() ? "" : "_" + variant;
    try (LlamaModel model = LlamaModel.load(dir.resolve("model"), DataType.FLOAT32, Device.cpu());
         NDManager sm = model.manager().newSubManager()) {
      LoraAdapter adapter = variant.isEmpty() ? null
          : LoraAdapter.load(dir.resolve("adapter_" + variant), model.config(), Device.cpu());
      model.attach(adapter);
      NDArray ids = golden.load("input_ids", sm, DataType.INT64);
      NDArray mask = golden.load("attention_mask", sm, DataType.INT64);
      NDArray labels = golden.load("labels", sm, DataType.INT64);
      NDArray expected = golden.load("logits" + suffix, sm, DataType.FLOAT32);
      float loss;
      NDArray logits;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        logits = model.forward(ids, mask, false);
        NDArray l = LlamaModel.lossSum(logits, labels).div(NextTokenLoss.trainedTokens(labels));
        loss = l.getFloat();
        if (adapter != null) {
          gc.backward(l);
        }
      }
      assertEquals(0, maxDiffWhereReal(expected.toFloatArray(), logits.toFloatArray(), mask.toLongArray(),
          model.config().vocabSize()), 1e-4, "logits" + suffix);
      assertEquals(golden.load("loss" + suffix, sm, DataType.FLOAT32).getFloat(), loss, 1e-5, "loss" + suffix);
      if (adapter != null) {
        for (var e : adapter.tensors().entrySet()) {
          float[] want = golden.load("grad_" + variant + "." + e.getKey(), sm, DataType.FLOAT32).toFloatArray();
          NDArray g = e.getValue().getGradient();
          g.attach(sm);
          double scale = 0;
          for (float w : want) {
            scale = Math.max(scale, Math.abs(w));
          }
          double diff = maxDiffWhereReal(want, g.toFloatArray(), new long[] {1}, Integer.MAX_VALUE);
          assertEquals(0, diff, 1e-5 + 1e-4 * scale, e.getKey());
        }
        adapter.close();
      }
    }
  }

  /** The GPU path: the same checkpoint loaded as fp16 (the frozen base of an H100 run) stays near fp32 HF. */
  @Test
  void fp16BaseStaysCloseToTransformersFp32() {
    Path dir = parity();
    SafetensorsFile golden = SafetensorsFile.open(dir.resolve("golden.safetensors"));
    try (LlamaModel model = LlamaModel.load(dir.resolve("model"), DataType.FLOAT16, Device.cpu());
         NDManager sm = model.manager().newSubManager()) {
      LoraAdapter adapter = LoraAdapter.load(dir.resolve("adapter_all"), model.config(), Device.cpu());
      model.attach(adapter);
      NDArray ids = golden.load("input_ids", sm, DataType.INT64);
      NDArray mask = golden.load("attention_mask", sm, DataType.INT64);
      NDArray labels = golden.load("labels", sm, DataType.INT64);
      NDArray logits = model.forward(ids, mask, false);
      double diff = maxDiffWhereReal(golden.load("logits_all", sm, DataType.FLOAT32).toFloatArray(),
          logits.toType(DataType.FLOAT32, false).toFloatArray(), mask.toLongArray(), model.config().vocabSize());
      assertEquals(0, diff, 0.02, "fp16 logits"); // measured 0.0057
      float loss = LlamaModel.lossSum(logits, labels).div(NextTokenLoss.trainedTokens(labels)).getFloat();
      assertEquals(golden.load("loss_all", sm, DataType.FLOAT32).getFloat(), loss, 5e-3, "fp16 loss");
      adapter.close();
    }
  }
}
