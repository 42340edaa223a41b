package io.thinklab.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.data.FinalAnswer;
import io.thinklab.data.Triplet;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SampleGeneratorTest {

  private static List<String> json(List<SampleRow> rows) {
    return rows.stream().map(SampleFiles::toJson).toList();
  }

  @Test
  void sameSeedSameRowsOtherSeedOtherRows() {
    for (Style st : Style.values()) {
      for (Scale sc : Scale.values()) {
        List<String> a = json(SampleGenerator.of(st, sc, 5).generate(40));
        assertEquals(a, json(SampleGenerator.of(st, sc, 5).generate(40)), st + "/" + sc);
        assertNotEquals(a, json(SampleGenerator.of(st, sc, 6).generate(40)));
        assertEquals(a.subList(0, 10), json(SampleGenerator.of(st, sc, 5).generate(10)), "prefix-stable");
      }
    }
  }

  @Test
  void idsAreUniqueAndNamed() {
    List<SampleRow> rows = SampleGenerator.of(Style.GLM, Scale.MINI, 3).generate(500);
    Set<String> ids = rows.stream().map(SampleRow::id).collect(Collectors.toSet());
    assertEquals(500, ids.size());
    assertEquals("glm-mini-s3-00001", rows.get(0).id());
    assertEquals("ev-00002", SampleGenerator.of(Style.GLM, Scale.MINI, 3).optIdPrefix("ev").generate(2).get(1).id());
  }

  @Test
  void solutionEndsWithTheCheckableAnswerAndMetadataCarriesIt() {
    for (Style st : Style.values()) {
      for (Scale sc : Scale.values()) {
        for (SampleRow r : SampleGenerator.of(st, sc, 11).generate(200)) {
          Triplet t = r.toTriplet();
          BigDecimal answer = (BigDecimal) t.metadata().get("answer");
          String sol = t.solution();
          assertEquals(FinalAnswer.line(Num.fmt(answer)), sol.substring(sol.lastIndexOf('\n') + 1), t.id());
          assertTrue(FinalAnswer.solutionMatches(sol, Num.fmt(answer)));
          assertEquals(0, Recompute.answer(r.problem().kind(), r.problem().variant(), r.problem().params()).compareTo(answer));
          assertTrue(t.thinking().contains(Num.fmt(answer)), "the reasoning reaches the answer: " + t.id());
          assertEquals(st.label(), t.metadata().get("style"));
          assertEquals(sc.label(), t.metadata().get("scale"));
          assertEquals(Boolean.TRUE, t.metadata().get("synthetic"));
          assertTrue(t.thinking().length() >= 20, "passes the seed's filter");
        }
      }
    }
  }

  @Test
  void stylesReadDifferently() {
    String opus = SampleGenerator.of(Style.OPUS, Scale.FULL, 1).generate(50).stream()
        .map(r -> r.written().thinking()).collect(Collectors.joining("\n"));
    String glm = SampleGenerator.of(Style.GLM, Scale.FULL, 1).generate(50).stream()
        .map(r -> r.written().thinking()).collect(Collectors.joining("\n"));
    assertTrue(opus.contains("**Step 1.**") && opus.contains("**Verification.**"));
    assertTrue(glm.contains("Wait") && glm.contains("Hmm") && glm.contains("Actually"));
    assertTrue(!glm.contains("**Step 1.**") && !opus.contains("Wait,"));
  }

  /**
   * The first line of at least 20 characters, or paragraph, that {@code trace} writes twice; empty when none. A
   * structured teacher that pads its trace with copies of itself is looping, which is GLM-style's trait, not Opus's.
   */
  static Optional<String> firstRepeat(String trace) {
    Set<String> lines = new HashSet<>();
    for (String l : trace.split("\n")) {
      if (l.strip().length() >= 20 && !lines.add(l.strip())) {
        return Optional.of(l.strip());
      }
    }
    Set<String> paragraphs = new HashSet<>();
    for (String para : trace.split("\n\\s*\n")) {
      if (!para.isBlank() && !paragraphs.add(para.strip())) {
        return Optional.of(para.strip());
      }
    }
    return Optional.empty();
  }

  @Test
  void opusNeverRepeatsALineOrParagraph() {
    for (Scale sc : Scale.values()) {
      for (long seed : new long[] {1, 2, 3}) {
        for (SampleRow r : SampleGenerator.of(Style.OPUS, sc, seed).generate(sc.mini() ? 2000 : 500)) {
          Optional<String> rep = firstRepeat(r.written().thinking());
          assertTrue(rep.isEmpty(), () -> r.id() + " repeats: " + rep.get());
        }
      }
    }
    assertEquals(Optional.of("Check step 1: 10 / 2 = 5. OK."),
        firstRepeat("Step 1: 5 * 2 = 10.\nCheck step 1: 10 / 2 = 5. OK.\nCheck step 1: 10 / 2 = 5. OK."));
    assertEquals(Optional.of("Same."), firstRepeat("Same.\n\nOther.\n\nSame."));
    assertEquals(Optional.empty(), firstRepeat("OK.\nOK.\nStep 1: 5 * 2 = 10."), "short lines may recur");
  }

  @Test
  void opusLongTargetsGetProblemsWithMoreSteps() {
    List<SampleRow> rows = SampleGenerator.of(Style.OPUS, Scale.FULL, 4).generate(400);
    double shortSteps = rows.stream().filter(r -> r.estimatedTokens() < 500).mapToInt(r -> r.problem().steps().size())
        .average().orElseThrow();
    double longSteps = rows.stream().filter(r -> r.estimatedTokens() > 1200).mapToInt(r -> r.problem().steps().size())
        .average().orElseThrow();
    assertTrue(longSteps > 2 * shortSteps, "steps per row, short rows " + shortSteps + ", long rows " + longSteps);
  }

  @Test
  void miniTextsUseASmallVocabulary() {
    Set<String> words = new HashSet<>();
    for (Style st : Style.values()) {
      for (SampleRow r : SampleGenerator.of(st, Scale.MINI, 9).generate(2000)) {
        String all = r.problem().text() + " " + r.written().thinking() + " " + r.written().solution();
        for (String w : all.split("[^A-Za-z]+")) {
          if (!w.isEmpty()) {
            words.add(w.toLowerCase());
          }
        }
        assertTrue(all.chars().allMatch(ch -> ch < 128), "mini text is ASCII: " + r.id());
      }
    }
    assertTrue(words.size() < 150, "mini vocabulary has " + words.size() + " words: " + words);
  }

  @Test
  void excludedAndRepeatedProblemsAreSkipped() {
    List<SampleRow> train = SampleGenerator.of(Style.OPUS, Scale.MINI, 1).generate(300);
    Set<String> seen = train.stream().map(r -> r.problem().text()).collect(Collectors.toSet());
    List<SampleRow> other = SampleGenerator.of(Style.OPUS, Scale.MINI, 2).optExclude(seen).optDistinct(true).generate(100);
    Set<String> otherTexts = other.stream().map(r -> r.problem().text()).collect(Collectors.toSet());
    assertEquals(100, otherTexts.size());
    assertTrue(otherTexts.stream().noneMatch(seen::contains));
  }

  @Test
  void evalSplitIsDisjointFromTrainAndCoversEveryKind() {
    for (Scale sc : Scale.values()) {
      List<SampleRow> train = SampleGenerator.of(Style.GLM, sc, 1).generate(1000);
      List<SampleRow> eval = SampleGenerator.of(Style.OPUS, sc, 2).optSplit(Split.EVAL).generate(300);
      assertTrue(train.stream().noneMatch(r -> Split.heldOut(r.problem().text())));
      assertTrue(eval.stream().allMatch(r -> Split.heldOut(r.problem().text())));
      Set<String> kinds = eval.stream().map(r -> r.problem().kind() + "/" + r.problem().variant())
          .map(k -> sc.mini() ? k : k.substring(0, k.indexOf('/'))).collect(Collectors.toSet());
      // full scale: every kind; mini scale: both chain variants (its own problems, ChainProblems)
      assertEquals(sc.mini() ? Set.of("arithmetic/chain", "arithmetic/chain-bags") : Set.of(
          java.util.Arrays.stream(ProblemKind.values()).map(ProblemKind::label).toArray(String[]::new)), kinds);
    }
    long held = SampleGenerator.of(Style.OPUS, Scale.FULL, 3).optSplit(Split.ALL).generate(3000).stream()
        .filter(r -> Split.heldOut(r.problem().text())).count();
    assertTrue(held > 200 && held < 400, "about a tenth held out: " + held);
  }
}
