package io.thinklab.kernel;

import com.google.gson.JsonObject;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.thinklab.kernel.KernelSession.bundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IJava's display API as its documentation describes it (docs/display.md): {@code display}, {@code render} and
 * {@code updateDisplay}, with and without requested mime types, run as notebook cells in a real kernel. Each test
 * checks the bundle a client receives, so a notebook written for IJava shows the same here.
 */
class IJavaDisplayCompatTest {
    private static KernelSession kernel;

    @BeforeAll
    static void start() {
        kernel = new KernelSession();
    }

    @AfterAll
    static void stop() {
        kernel.close();
    }

    @Test
    void displayOfTextWithoutTypesIsPlainText() {
        KernelSession.Cell cell = kernel.execute("display(\"<b>Bold</b>\")").ok();
        assertEquals(1, cell.displays().size());
        assertEquals(Map.of("text/plain", "<b>Bold</b>"), bundle(cell.displays().get(0)));
        assertNull(cell.result(), "the display id is not shown as the cell's value");
    }

    @Test
    void displayOfTextAsJavascript() {
        KernelSession.Cell cell = kernel.execute("display(\"alert('Hello from IJava!');\", \"application/javascript\");").ok();
        assertEquals(1, cell.displays().size());
        assertEquals(Map.of("application/javascript", "alert('Hello from IJava!');", "text/plain", "alert('Hello from IJava!');"),
                bundle(cell.displays().get(0)));
    }

    @Test
    void displayOfTextAsSeveralTypesCarriesEachAndPlainText() {
        PublishDisplayData shown = kernel.execute("display(\"<b>Bold</b>\", \"text/html\", \"text/markdown\");").ok().displays().get(0);
        assertEquals(Map.of("text/html", "<b>Bold</b>", "text/markdown", "<b>Bold</b>", "text/plain", "<b>Bold</b>"), bundle(shown));
        assertTrue(shown.hasDisplayId());
    }

    @Test
    void displayReturnsTheIdItPublished() {
        KernelSession.Cell cell = kernel.execute("String shownId = display(\"<i>shown</i>\", \"text/html\");\nSystem.out.print(shownId);").ok();
        assertEquals(cell.displays().get(0).getDisplayId(), cell.stdout());
        assertEquals("<i>shown</i>", bundle(cell.displays().get(0)).get("text/html"));
    }

    @Test
    void renderAsLastExpressionIsTheCellsResultInTheRequestedType() {
        String cell = "String md = \"Hello from **IJava**\";\nrender(md, \"text/markdown\")";
        PublishExecuteResult result = kernel.execute(cell).ok().result();
        assertNotNull(result);
        assertEquals(Map.of("text/markdown", "Hello from **IJava**", "text/plain", "Hello from **IJava**"), bundle(result));
        assertTrue(kernel.execute("render(\"<b>Liftoff!</b>\", \"text/html\")").ok().displays().isEmpty(), "render does not publish");
    }

    @Test
    void renderWithoutTypesIsWhatTheCellShows() {
        assertEquals(Map.of("text/plain", "42"), bundle(kernel.execute("render(42)").ok().result()));
        assertEquals(Map.of("text/plain", "plain"), bundle(kernel.execute("\"plain\"").ok().result()));
    }

    @Test
    void updateDisplayReplacesTheOutputInTheRequestedType() {
        KernelSession.Cell cell = kernel.execute(String.join("\n",
                "String id = display(\"<b>Countdown:</b> 3\", \"text/html\");",
                "for (int i = 2; i >= 0; i--) updateDisplay(id, \"<b>Countdown:</b> \" + i, \"text/html\");",
                "render(\"<b>Liftoff!</b>\", \"text/html\")")).ok();
        String id = cell.displays().get(0).getDisplayId();
        assertEquals("<b>Countdown:</b> 3", bundle(cell.displays().get(0)).get("text/html"));
        assertEquals(3, cell.updates().size());
        for (int i = 0; i < 3; i++) {
            PublishUpdateDisplayData update = cell.updates().get(i);
            assertEquals(id, update.getDisplayId());
            String text = "<b>Countdown:</b> " + (2 - i);
            assertEquals(Map.of("text/html", text, "text/plain", text), bundle(update));
        }
        assertEquals("<b>Liftoff!</b>", bundle(cell.result()).get("text/html"));
    }

    @Test
    void updateDisplayWithoutTypesUsesThePreferredOnes() {
        KernelSession.Cell cell = kernel.execute("String id = display(1);\nupdateDisplay(id, 2);").ok();
        assertEquals(Map.of("text/plain", "1"), bundle(cell.displays().get(0)));
        assertEquals(Map.of("text/plain", "2"), bundle(cell.updates().get(0)));
    }

    @Test
    void textAsJsonIsSentAsJson() {
        Object json = bundle(kernel.execute("render(\"{\\\"n\\\": 3}\", \"application/json\")").ok().result()).get("application/json");
        assertTrue(json instanceof JsonObject, String.valueOf(json));
        assertEquals(3, ((JsonObject) json).get("n").getAsInt());
    }

    // ---------------------------------------------------------------- the kernel's own extras stay as they were

    @Test
    void tablesStillRenderAsHtmlAndCanBeAskedForAsPlainTextOnly() {
        String table = "var t = tech.tablesaw.api.Table.create(\"losses\", tech.tablesaw.api.IntColumn.create(\"step\", new int[]{1, 2}));\n";
        Map<String, Object> shown = bundle(kernel.execute(table + "display(t);").ok().displays().get(0));
        assertTrue(String.valueOf(shown.get("text/html")).contains("<caption>losses (2 rows"), String.valueOf(shown));
        Map<String, Object> plain = bundle(kernel.execute(table + "render(t, \"text/plain\")").ok().result());
        assertEquals(java.util.Set.of("text/plain"), plain.keySet());
    }

    @Test
    void libraryObjectsStillUseTheirMimeBundle() {
        String cell = String.join("\n",
                "record Report(int n) { public Map<String, String> mimeBundle() { return Map.of(\"text/html\", \"<b>\" + n + \"</b>\"); } }",
                "display(new Report(7));");
        Map<String, Object> shown = bundle(kernel.execute(cell).ok().displays().get(0));
        assertEquals("<b>7</b>", shown.get("text/html"));
        assertEquals("Report[n=7]", shown.get("text/plain"));
    }
}
