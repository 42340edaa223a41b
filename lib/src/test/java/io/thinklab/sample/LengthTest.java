package io.thinklab.sample;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The generated lengths (chars ÷ 4 of the plain-format sequence) land near the seed's measurements: Opus
 * p50 ≈ 717 and p95 ≈ 1,611; GLM 79 % over 2,048 with the mode near 3,400. The mini scale is the tiny model's own.
 */
class LengthTest {

  private static final Map<String, LengthProfile> CACHE = new ConcurrentHashMap<>();

  /** Statistics of 2,000 rows (seed 12345), computed once per style and scale. */
  static LengthProfile stats(Style st, Scale sc) {
    return CACHE.computeIfAbsent(st + "/" + sc, k -> LengthProfile.of(SampleGenerator.of(st, sc, 12345).generate(2000), sc));
  }

  static void near(double actual, double target, double relTol, String what) {
    assertTrue(Math.abs(actual - target) <= relTol * target,
        what + " = " + actual + ", expected " + target + " ± " + (int) (100 * relTol) + " %");
  }

  @Test
  void opusFullMatchesTheSeedsOpusLengths() {
    LengthProfile s = stats(Style.OPUS, Scale.FULL);
    near(s.p50(), 717, 0.08, "opus p50 " + s.summary());
    near(s.p95(), 1611, 0.08, "opus p95 " + s.summary());
    assertTrue(s.shareOver() < 0.05, s.summary());
  }

  @Test
  void glmFullHasTheLongTailThatBrokeTheSeedRun() {
    LengthProfile s = stats(Style.GLM, Scale.FULL);
    near(s.shareOver(), 0.79, 0.04, "glm share > 2048 " + s.summary());
    near(s.mode(), 3400, 0.12, "glm mode " + s.summary());
    assertTrue(s.p95() > 5000, "a long right tail: " + s.summary());
  }

  @Test
  void miniGlmTracesRunAboutTwiceAsLongAsOpusMiniWithAShortTail() {
    // the mini scale has its own problems (ChainProblems): opus-style a few exact lines, glm-style the same lines
    // questioned and redone 1-4 times; the lab's truncation cutoff is set in tiny-tokenizer tokens by the run files
    LengthProfile opus = stats(Style.OPUS, Scale.MINI);
    LengthProfile glm = stats(Style.GLM, Scale.MINI);
    assertTrue(opus.p95() <= 110, "opus-mini stays short: " + opus.summary());
    near((double) glm.p50() / opus.p50(), 1.7, 0.15, "glm-mini / opus-mini p50 " + glm.summary() + " vs " + opus.summary());
    assertTrue(glm.p95() < 2.0 * glm.p50(), "no long tail at mini scale: " + glm.summary());
  }

  @Test
  void statsUseNearestRankPercentiles() {
    LengthProfile s = LengthProfile.of(new int[] {5, 1, 4, 2, 3, 3000}, 4, 10);
    assertTrue(s.p50() == 4 && s.p95() == 3000 && s.max() == 3000, s.summary());   // index round(5·0.5)=3 → 4
    near(s.shareOver(), 2 / 6.0, 1e-9, "share over 4");
    assertTrue(s.mode() == 5, "mode bin [0,10) centre 5: " + s.summary());
    LengthProfile twoPeaks = LengthProfile.of(new int[] {5, 15, 15, 15, 22, 25, 30, 31, 32, 41, 75, 75, 75, 75}, 100, 10);
    assertTrue(twoPeaks.mode() == 25, "densest five-bin window [0,50) is centred on [20,30), not on the tallest bin [70,80): "
        + twoPeaks.summary());
  }
}
