package io.thinklab.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TraceMarkersTest {

  static final String THINKING = """
      Hmm, let me think. Wait, that's wrong. Actually x = 3.
      Let me re-check: 2 + 1 = 3. Let me verify by plugging back in. I think it's probably fine.
      Nothing awaited, factually unlikely to change.""";

  @Test
  void behaviourMarkersOnWholeWordsCaseInsensitive() {
    // Hmm, Wait, that's wrong, Actually, Let me re-check (not "awaited", not "factually")
    assertEquals(5, TraceMarkers.count(TraceMarkers.SELF_CORRECTION, THINKING));
    // "Let me verify", "plugging back" (re-check is self-correction, not verification)
    assertEquals(2, TraceMarkers.count(TraceMarkers.VERIFICATION, THINKING));
    // "I think", "probably" (not "unlikely")
    assertEquals(2, TraceMarkers.count(TraceMarkers.HEDGES, THINKING));
    assertEquals(1, TraceMarkers.count(TraceMarkers.SELF_CORRECTION, "That’s not right."));
    assertEquals(2, TraceMarkers.count(TraceMarkers.VERIFICATION, "Check: 7 * 2 = 14. OK.\nCheck step 2: 14 + 1 = 15."));
    assertEquals(1, TraceMarkers.count(TraceMarkers.SELF_CORRECTION, "Let me redo it."));
  }

  @Test
  void structureLines() {
    String text = """
        ## Setup
        1. First
        2) Second
        Step 3: third
        - a bullet
        * another bullet
        **Bold header**
        **Bold** inside a sentence is not a header
        $x^2$ is a square
        y = 2x
        no equation == here? a==b is code
        3.5 is a number, not a step""";
    assertEquals(3, TraceMarkers.numberedSteps(text));
    assertEquals(2, TraceMarkers.headers(text));
    assertEquals(2, TraceMarkers.bullets(text));
    assertEquals(2, TraceMarkers.equations(text));
  }

  @Test
  void repeatedNgramRateRisesWhenTextLoops() {
    String ten = "one two three four five six seven eight nine ten";
    assertEquals(0.0, TraceMarkers.repeatedNgramRate(ten), 0);
    // 20 words give 13 8-grams; the last three repeat the first three
    assertEquals(3.0 / 13, TraceMarkers.repeatedNgramRate(ten + ". " + ten), 1e-12);
    assertEquals(0.0, TraceMarkers.repeatedNgramRate("too short"), 0);
    String loop = ("so the answer is 7 wait let me recompute ").repeat(10);
    assertEquals(true, TraceMarkers.repeatedNgramRate(loop) > 0.8);
  }
}
