package io.thinklab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.data.Triplet;
import io.thinklab.generate.Generation;
import io.thinklab.generate.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalResultTest {
  private static EvalSample sample(String text, StopReason reason, int tokens, int closeAt, Object answer) {
    Triplet t = new Triplet("p", "q", "t", "s", "", Map.of("answer", answer));
    return Evaluator.grade(t, new Generation(0, new long[tokens], text, reason, closeAt));
  }

  @Test
  void ratesFromGradedSamples() {
    List<EvalSample> s = new ArrayList<>();
    s.add(sample("ok\n</think>\nFinal answer: 4", StopReason.EOS, 10, 4, 4));         // closed, finished, right
    s.add(sample("ok\n</think>\nFinal answer: 5", StopReason.EOS, 20, 6, 4));         // closed, finished, wrong
    s.add(sample("ok\n</think>\nFinal answer: 4", StopReason.THINK_LOOP, 30, 8, 4));  // closed, looped
    s.add(sample("on and on and on", StopReason.MAX_NEW_TOKENS, 40, -1, 4));          // never closed
    EvalResult r = EvalResult.of("m", s, 40, 1.25);
    assertEquals(0.75, r.closeRate());
    assertEquals(0.5, r.finishRate());
    assertEquals(0.5, r.accuracy());
    assertEquals((4 + 6 + 8 + 40) / 4.0, r.meanThinkingTokens());
    assertEquals(40, r.p95ThinkingTokens());
    assertEquals(0.25, r.stopRuleFiredRate());
    String json = r.toJson();
    for (String key : List.of("close_rate", "finish_rate", "accuracy", "mean_thinking_tokens",
        "stop_rule_fired_rate", "eval_loss")) {
      assertTrue(json.contains("\"" + key + "\""), key + " in " + json);
    }
    EvalResults both = EvalResults.of(r, EvalResult.of("n", s.subList(0, 1), 40, Double.NaN));
    assertEquals(3, both.table().columnCount());
    assertTrue(both.toJson().startsWith("{\"m\":{"), both.toJson());
    assertTrue(both.toHtml().contains("<th>n</th>"));
  }
}
