package io.thinklab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.Tiny;
import io.thinklab.train.Sequence;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvalLossTest {
  @Test
  void paddedBatchesGiveTheMeanOverTrainedTokensOfAllExamples() {
    Random r = new Random(3);
    List<Sequence> data = List.of(seq("a", 9, 3, r), seq("b", 5, 2, r), seq("c", 12, 6, r));
    try (LlamaModel m = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 5)) {
      double sum = 0;
      long n = 0;
      for (Sequence s : data) { // one at a time, no padding
        try (NDManager sm = m.manager().newSubManager()) {
          var ids = sm.create(s.ids(), new Shape(1, s.length()));
          var labels = sm.create(s.labels(), new Shape(1, s.length()));
          sum += LlamaModel.lossSum(m.forward(ids, null, false), labels).getFloat();
          n += s.trainedTokens();
        }
      }
      assertEquals(sum / n, EvalLoss.of(m, data, 2), 1e-5);
      assertEquals(sum / n, EvalLoss.of(m, data, 3), 1e-5);
    }
  }

  private static Sequence seq(String id, int len, int prompt, Random r) {
    long[] ids = new long[len];
    for (int i = 0; i < len; i++) {
      ids[i] = 3 + r.nextInt(58);
    }
    return Sequence.completionOnly(id, ids, prompt);
  }
}
