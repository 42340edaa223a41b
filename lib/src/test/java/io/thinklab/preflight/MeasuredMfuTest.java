package io.thinklab.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.model.LlamaConfig;
import io.thinklab.run.DeviceKind;
import io.thinklab.run.ModelProfiles;
import io.thinklab.run.RunFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preflight's default MFU is the seed's measurement, redone here from what was measured. */
class MeasuredMfuTest {

  @Test
  void measuredMfuIsTheSeedsH100StepTime() {
    LlamaConfig m = ModelProfiles.resolve("nanbeige4-3b-base");
    long lora = Estimates.loraParameters(m, 16, List.of("q_proj", "k_proj", "v_proj", "o_proj"));
    int sequences = 16;
    int seq = 2048;
    double flops = Estimates.flops(m, lora, (double) sequences * seq, (double) sequences * seq * seq, true);
    double peak = DeviceKind.H100.peakFlops("bf16");
    assertEquals(7.79e14, flops, 0.01e14, "FLOPs per step of the seed's run");
    assertEquals(flops / (2.79 * peak), Estimates.MEASURED_MFU, 5e-4, "MFU = FLOPs / (2.79 s × peak)");
  }

  @Test
  void runFilesWithoutAnMfuUseTheMeasuredOneAndTheirOwnOtherwise() {
    PreflightReport measured = Preflight.check(RunFiles.resolve("tiny-opus-cpu", List.of("data.0.max_rows=40")));
    assertTrue(measured.check("time").details().stream().anyMatch(d -> d.contains("28.2 % MFU (measured")),
        measured.check("time").details().toString());
    PreflightReport own = Preflight.check(RunFiles.resolve("tiny-opus-cpu",
        List.of("data.0.max_rows=40", "device.mfu=0.5")));
    assertTrue(own.check("time").details().stream().anyMatch(d -> d.contains("50.0 % MFU (the run file's)")),
        own.check("time").details().toString());
    // time ∝ 1 / MFU: the run file's 0.5 against the measured 0.2825
    double stepMeasured = ((Number) measured.numbers().get("seconds_per_step")).doubleValue(); // 2 decimals
    double stepOwn = ((Number) own.numbers().get("seconds_per_step")).doubleValue();
    assertTrue(stepMeasured >= 0.1, "estimated s/step " + stepMeasured);
    assertEquals(stepMeasured * Estimates.MEASURED_MFU / 0.5, stepOwn, 0.011);
  }
}
