package io.thinklab.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.Shared;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Feeds the seed's own measured lengths (2,160 Opus rows, Nanbeige tokenizer) through ThinkLab's statistics and
 * compares with the summary the seed published. Skips when {@code shared/reference} is absent.
 *
 * <p>Reproducible from the published rows: every summary field (prompt = full - completion), and per cutoff
 * {@code full_truncated}, {@code completion_truncated}, {@code eos_survives} (EOS is the last token). Not
 * reproducible: {@code end_think_survives}, since the seed did not publish per-row {@code </think>} positions.
 */
class SeedReproductionTest {

  @Test
  void seedSummaryAndCutoffsAreReproducedExactly() throws Exception {
    JsonNode seed = new ObjectMapper().readTree(Shared.reference("seed-run/opus-token_length_analysis.json").toFile());
    JsonNode full = seed.get("full_lengths");
    JsonNode completion = seed.get("completion_lengths");
    List<ExampleLengths> rows = new ArrayList<>();
    for (int i = 0; i < full.size(); i++) {
      rows.add(ExampleLengths.ofTotals("opus-" + i, full.get(i).asInt(), completion.get(i).asInt()));
    }
    List<Integer> cutoffs = new ArrayList<>();
    seed.get("per_cutoff").fieldNames().forEachRemaining(k -> cutoffs.add(Integer.parseInt(k)));
    Diagnosis d = Diagnosis.of(rows, cutoffs);
    Map<String, Object> ours = d.toJson();
    ObjectMapper json = new ObjectMapper();

    assertEquals(seed.get("total_examples").asInt(), d.total());
    for (String key : List.of("full_summary", "prompt_summary", "completion_summary")) {
      assertEquals(seed.get(key), json.valueToTree(ours.get(key)), key);
    }
    for (String c : List.of("2048", "3072", "4096")) {
      JsonNode want = seed.get("per_cutoff").get(c);
      JsonNode got = json.valueToTree(((Map<?, ?>) ours.get("per_cutoff")).get(c));
      for (String k : List.of("full_truncated", "completion_truncated", "eos_survives", "full_truncated_pct",
          "completion_truncated_pct", "eos_survives_pct")) {
        assertEquals(want.get(k), got.get(k), c + " " + k);
      }
    }
  }

  @Test
  void percentileIndexRoundsHalfToEven() {
    assertEquals(0, LengthSummary.percentileIndex(50, 2)); // 0.5 -> 0
    assertEquals(2, LengthSummary.percentileIndex(50, 6)); // 2.5 -> 2
    assertEquals(4, LengthSummary.percentileIndex(50, 10)); // 4.5 -> 4
    assertEquals(6, LengthSummary.percentileIndex(50, 14)); // 6.5 -> 6
    assertEquals(2051, LengthSummary.percentileIndex(95, 2160)); // 2051.05 -> 2051
    assertEquals(2.67, LengthSummary.round2(2.675)); // binary 2.67499..., as Python's round(2.675, 2)
    assertEquals(0.12, LengthSummary.round2(0.125)); // an exact tie goes to even
  }
}
