package io.thinklab.curves;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReadingsTest {

  private static List<String> names(CurveReading r) {
    return r.findings().stream().map(Finding::name).collect(Collectors.toList());
  }

  private static Finding finding(CurveReading r, String name) {
    return r.findings().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void healthyCurveTriggersNothing() {
    CurveReading r = Readings.of(Synthetic.healthy());
    assertTrue(r.healthy(), r.text());
    assertEquals(200, r.steps());
    assertTrue(r.text().contains("healthy"));
  }

  @Test
  void stillFallingWithGoldenNumbers() {
    CurveReading r = Readings.of(Synthetic.stillFalling());
    assertEquals(List.of("still-falling"), names(r), r.text());
    Finding f = finding(r, "still-falling");
    // steps 81-90 average 2.5 - 0.008 * 85.5 = 1.816; steps 91-100 average 1.736
    assertEquals(10, f.numbers().get("windowSteps"));
    assertEquals(1.816, f.numbers().get("meanBefore"), 1e-9);
    assertEquals(1.736, f.numbers().get("meanLast"), 1e-9);
    assertEquals(0.08 / 1.816, f.numbers().get("relativeDrop"), 1e-9);
    assertEquals(0.03, f.thresholds().get("stillFallingDrop"));
    assertTrue(f.sentence().contains("still falling steeply"));
  }

  @Test
  void flatEarly() {
    CurveReading r = Readings.of(Synthetic.flat());
    assertEquals(List.of("flat-early"), names(r), r.text());
    assertTrue(finding(r, "flat-early").numbers().get("relativeDrop") < 0.02);
  }

  @Test
  void spiky() {
    CurveReading r = Readings.of(Synthetic.spiky());
    assertEquals(List.of("spiky"), names(r), r.text());
    Finding f = finding(r, "spiky");
    assertEquals(17, f.numbers().get("spikes")); // steps 40, 50, ..., 200
  }

  @Test
  void epochDropIsCalledMemorisation() {
    CurveReading r = Readings.of(Synthetic.epochDrop());
    assertTrue(r.has("epoch-drop"), r.text());
    Finding f = finding(r, "epoch-drop");
    assertEquals(2, f.numbers().get("epoch"));
    assertEquals(51, f.numbers().get("step"));
    assertTrue(f.numbers().get("relativeDrop") > 0.3);
    assertTrue(f.sentence().contains("memorisation, not necessarily learning"));
    assertFalse(Readings.of(Synthetic.healthy()).has("epoch-drop"));
  }

  @Test
  void gradNormSpike() {
    CurveReading r = Readings.of(Synthetic.gradSpike());
    assertEquals(List.of("grad-norm-spikes"), names(r), r.text());
    Finding f = finding(r, "grad-norm-spikes");
    assertEquals(1, f.numbers().get("spikes"));
    assertEquals(60, f.numbers().get("maxStep"));
    assertEquals(8.0, f.numbers().get("max"));
  }

  @Test
  void evalRisingMeansOverfitting() {
    CurveReading r = Readings.of(Synthetic.evalRising());
    assertEquals(List.of("eval-rising"), names(r), r.text());
    Finding f = finding(r, "eval-rising");
    assertEquals(120, f.numbers().get("bestStep"));
    assertEquals((1.40 - 1.25) / 1.25, f.numbers().get("relativeRise"), 1e-9);
  }

  @Test
  void tooShortRunsSayWhy() {
    RunHistory tiny = RunHistory.of("tiny", List.of(Step.of(1, 2.0), Step.of(2, 1.5)));
    CurveReading r = Readings.of(tiny);
    assertEquals(List.of("too-short"), names(r));
  }

  @Test
  void thresholdsAreAdjustable() {
    Thresholds strict = new Thresholds(10, 0.10, 0.50, 0.20, 0.02, 0.25, 0.02, 2, 0.10, 3.0, 0.10, 0.02, 0.9);
    assertFalse(Readings.of(Synthetic.stillFalling(), strict).has("still-falling"));
  }
}
