package io.thinklab.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.model.LlamaModel;
import io.thinklab.safetensors.SafetensorsFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ThinkLab → PEFT, checked on every build without Python: the golden files under {@code peft-roundtrip/} hold the
 * adapters ThinkLab saved ({@link PeftExport}), and the logits Transformers + PEFT computed after loading them
 * ({@code environment/parity/peft_roundtrip.py}, which also checked that PEFT found a place for every saved tensor).
 * Here: ThinkLab still saves exactly those files (names, shapes, values, config), and its logits with them still
 * equal PEFT's within 1e-4 (fp32). When a change to ThinkLab's adapter format makes the first check fail, rerun the
 * script (its README says how): the new files must pass PEFT's load again before they are committed.
 */
class PeftRoundTripTest {

  static Path golden() {
    URL u = PeftRoundTripTest.class.getResource("/peft-roundtrip/peft_logits.safetensors");
    assumeTrue(u != null, "PEFT round-trip golden files absent: skipped");
    try {
      return Path.of(u.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @CsvSource({"model_untied, qkvo", "model_untied, qkvo_think", "model_tied, qkvo", "model_tied, qkvo_think"})
  void thinkLabSavesWhatPeftLoadedAndComputesPeftsLogits(String modelName, String variant, @TempDir Path tmp)
      throws IOException {
    Path dir = golden();
    Path committed = dir.resolve(modelName).resolve(variant);
    SafetensorsFile inputs = SafetensorsFile.open(dir.resolve("inputs.safetensors"));
    try (LlamaModel model = LlamaModel.load(dir.resolve(modelName), DataType.FLOAT32, Device.cpu());
         NDManager sm = model.manager().newSubManager()) {
      // 1. today's ThinkLab writes the very adapter PEFT loaded: same config, same tensor names, shapes and values
      try (LoraAdapter fresh = PeftExport.adapter(model, variant)) {
        fresh.save(tmp);
        model.attach(null);
      }
      ObjectMapper json = new ObjectMapper();
      JsonNode want = json.readTree(committed.resolve("adapter_config.json").toFile());
      JsonNode got = json.readTree(tmp.resolve("adapter_config.json").toFile());
      assertEquals(want, got, "adapter_config.json differs from the one PEFT loaded: rerun peft_roundtrip.py");
      SafetensorsFile a = SafetensorsFile.open(committed.resolve(LoraAdapter.WEIGHTS));
      SafetensorsFile b = SafetensorsFile.open(tmp.resolve(LoraAdapter.WEIGHTS));
      assertEquals(a.names(), b.names(), "tensor names differ from the ones PEFT loaded");
      if (variant.endsWith("think")) {
        assertTrue(a.names().contains(LoraAdapter.TOKEN_ROWS), "the token rows' key: " + a.names());
      }
      for (String n : a.names()) {
        float[] x = a.load(n, sm, DataType.FLOAT32).toFloatArray();
        float[] y = b.load(n, sm, DataType.FLOAT32).toFloatArray();
        assertEquals(x.length, y.length, n);
        assertEquals(0, HfParityTest.maxDiffWhereReal(x, y, new long[] {1}, Integer.MAX_VALUE), 1e-7, n);
      }

      // 2. loaded back, the committed adapter gives PEFT's logits
      try (LoraAdapter loaded = LoraAdapter.load(committed, model.config(), Device.cpu())) {
        model.attach(loaded);
        float[] ours = PeftExport.logits(model, inputs);
        float[] peft = SafetensorsFile.open(dir.resolve("peft_logits.safetensors"))
            .load(modelName + "." + variant, sm, DataType.FLOAT32).toFloatArray();
        long[] mask = inputs.load("attention_mask", sm, DataType.INT64).toLongArray();
        double diff = HfParityTest.maxDiffWhereReal(peft, ours, mask, model.config().vocabSize());
        assertEquals(0, diff, 1e-4, modelName + "." + variant + ": ThinkLab vs PEFT logits");
        model.attach(null);
      }
    }
    // 3. the script's own verdict on PEFT's side: every saved key placed, none missing
    JsonNode report = new ObjectMapper().readTree(dir.resolve("roundtrip.json").toFile());
    JsonNode r = report.path("results").path(modelName + "." + variant);
    assertTrue(r.path("ok").asBoolean(), r.toString());
    assertEquals(0, r.path("missing_keys").size(), r.toString());
    assertEquals(0, r.path("unexpected_keys").size(), r.toString());
    assertTrue(Files.exists(committed.resolve("adapter_config.json")));
  }
}
