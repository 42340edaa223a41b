package io.thinklab.kernel;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.LinePlot;
import tech.tablesaw.plotly.components.Figure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotlyHtmlTest {
    private static Figure lossFigure() {
        Table t = Table.create("loss", IntColumn.create("step", new int[]{1, 2, 3}),
                DoubleColumn.create("loss", new double[]{2.5, 1.2, 0.9}));
        return LinePlot.create("Training loss", t, "step", "loss");
    }

    @Test
    void tablesawScriptBecomesPlotlyJson() {
        JsonObject spec = PlotlyHtml.specOf(lossFigure().asJavascript("d"));
        assertNotNull(spec);
        assertEquals("Training loss", spec.getAsJsonObject("layout").get("title").getAsString());
        assertEquals("step", spec.getAsJsonObject("layout").getAsJsonObject("xaxis").get("title").getAsString());
        assertEquals(1, spec.getAsJsonArray("data").size());
        assertEquals("scatter", spec.getAsJsonArray("data").get(0).getAsJsonObject().get("type").getAsString());
        assertEquals("0.9", spec.getAsJsonArray("data").get(0).getAsJsonObject().getAsJsonArray("y").get(2).getAsString());
    }

    @Test
    void libraryIsEmbeddedOnceAndIdsAreJsIdentifiers() {
        PlotlyHtml.forgetInjected();
        Map<String, Object> first = PlotlyHtml.bundle(lossFigure());
        Map<String, Object> second = PlotlyHtml.bundle(lossFigure());
        String marker = "plotly.js v" + PlotlyHtml.PLOTLY_VERSION;
        assertTrue(((String) first.get("text/html")).contains(marker));
        assertFalse(((String) second.get("text/html")).contains(marker));
        assertTrue(first.containsKey(PlotlyHtml.MIME));
        Matcher m = Pattern.compile("<div id=\"([^\"]+)\"").matcher((String) second.get("text/html"));
        assertTrue(m.find());
        assertTrue(m.group(1).matches("[A-Za-z_$][A-Za-z0-9_$]*"), m.group(1));
    }

    @Test
    void loaderHidesRequireJsAndCannotCloseItsScriptEarly() {
        String loader = PlotlyHtml.loaderScript();
        assertTrue(loader.contains("(function (define, module, exports) {"));
        String body = loader.substring(loader.indexOf("<script") + 7, loader.lastIndexOf("</script>"));
        assertFalse(body.contains("</script"));
    }

    @Test
    void minifiedFileIsEmbeddedWhenPresentElseTheWebjarCopy(@TempDir Path dir) throws IOException {
        Path min = dir.resolve("plotly.min.js");
        String fake = "/**\n* plotly.js v" + PlotlyHtml.PLOTLY_VERSION + "\n*/\nwindow.Plotly={};";
        Files.writeString(min, fake);
        PlotlyHtml.Library present = PlotlyHtml.load(min.toString());
        assertEquals(fake, present.text());
        assertEquals("minified, plotly.min.js", present.source());

        Files.delete(min);
        for (String absent : new String[]{min.toString(), null, ""}) {
            PlotlyHtml.Library webjar = PlotlyHtml.load(absent);
            assertEquals("webjar plotly.js-dist", webjar.source());
            assertTrue(webjar.text().contains("plotly.js v" + PlotlyHtml.PLOTLY_VERSION));
            assertTrue(webjar.text().length() > 5_000_000, "the unminified library");
        }
    }

    @Test
    void minifiedFileOfAnotherVersionIsPassedOver(@TempDir Path dir) throws IOException {
        Path min = Files.writeString(dir.resolve("plotly.min.js"), "/**\n* plotly.js v3.0.1\n*/\nwindow.Plotly={};");
        assertEquals("webjar plotly.js-dist", PlotlyHtml.load(min.toString()).source());
    }

    @Test
    void jsLiteralRejectsCode() {
        assertThrows(IllegalArgumentException.class, () -> JsLiteral.read("{x: new Date(1)}", 0));
        assertEquals("{\"a\":[1,\"b\\\"c\",true],\"d\":{}}", JsLiteral.read("{a: [1, 'b\"c', true,], d: {},}", 0)[0]);
    }
}
