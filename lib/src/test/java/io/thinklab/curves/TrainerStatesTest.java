package io.thinklab.curves;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerStatesTest {

  @TempDir
  Path dir;

  @Test
  void writtenAsHuggingFaceLogsItAndReadBack() {
    List<Step> steps = new ArrayList<>();
    for (int i = 1; i <= 12; i++) { // loss i, lr i/1000, grad norm 10 i, half an epoch per 6 steps
      steps.add(new Step(i, i / 12.0, i, i / 1000.0, 10.0 * i, 100, 50, 2.0 * i));
    }
    RunHistory run = new RunHistory("r", "", steps, List.of(new EvalPoint(5, 5 / 12.0, 0.75),
        new EvalPoint(12, 1.0, 0.5)), Map.of());
    RunHistory back = Metrics.read(TrainerStates.write(run, 5, dir.resolve("out/checkpoint-12/trainer_state.json")));
    assertEquals("checkpoint-12", back.name());
    // logged at 5 and 10 (every 5) and at the last step 12, each the mean loss since the previous entry
    assertEquals(List.of(5L, 10L, 12L), back.steps().stream().map(Step::step).toList());
    assertEquals(3.0, back.steps().get(0).loss(), 0.0);   // mean of 1..5
    assertEquals(8.0, back.steps().get(1).loss(), 0.0);   // mean of 6..10
    assertEquals(11.5, back.steps().get(2).loss(), 0.0);  // mean of 11, 12
    assertEquals(0.010, back.steps().get(1).lr(), 1e-12); // that step's own lr and grad norm
    assertEquals(100.0, back.steps().get(1).gradNorm(), 1e-12);
    assertEquals(Double.NaN, back.steps().get(0).tokens()); // Hugging Face logs no tokens
    assertEquals(List.of(0.75, 0.5), back.evals().stream().map(EvalPoint::evalLoss).toList());
    assertEquals(6.5, ((Number) back.summary().get("train_loss")).doubleValue(), 1e-12);
    assertEquals(24.0, ((Number) back.summary().get("train_runtime")).doubleValue(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> TrainerStates.write(run, 0, dir.resolve("x.json")));
  }
}
