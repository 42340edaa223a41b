package io.thinklab.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class LengthChartsTest {

  /** 10 rows of 100..1000 tokens; </think> 10 tokens before the end, EOS last. */
  static Diagnosis tenRows() {
    List<ExampleLengths> rows = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      int full = 100 * i;
      rows.add(new ExampleLengths("r" + i, 10, full - 30, 8, full - 10, full, full - 10, full - 1));
    }
    return Diagnosis.of(rows, List.of(500, 1000));
  }

  @Test
  void perCutoffTableHasOneRowPerCutoff() {
    Table t = LengthCharts.perCutoff(tenRows());
    assertEquals(2, t.rowCount());
    assertEquals(5, t.intColumn("full truncated").get(0)); // 600..1000 > 500
    assertEquals(50.0, t.doubleColumn("both kept %").get(0));
    assertEquals(100.0, t.doubleColumn("both kept %").get(1));
  }

  @Test
  void histogramTitleNamesTheCutShare() {
    String js = LengthCharts.histogram(tenRows(), "toy", 500, 1000).asJavascript("d");
    assertTrue(js.contains("toy: 10 examples, 50.0 % cut at 500, 50.0 % lose &lt;/think&gt;"), js);
    assertTrue(js.contains("cutoff 1000"), js);
  }

  @Test
  void survivalAndStackedRender() {
    assertTrue(LengthCharts.survival(tenRows()).asJavascript("s").contains("EOS kept"));
    assertTrue(LengthCharts.stacked(tenRows(), 5).asJavascript("b").contains("thinking"));
    assertEquals(10, LengthCharts.lengths(tenRows()).rowCount());
  }
}
