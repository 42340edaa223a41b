package io.thinklab.kernel;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.LinePlot;
import tech.tablesaw.plotly.components.Figure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

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
        String marker = "/* plotly.js " + PlotlyLibrary.VERSION + " (";
        assertTrue(((String) first.get("text/html")).contains(marker));
        assertFalse(((String) second.get("text/html")).contains(marker));
        assertTrue(first.containsKey(PlotlyHtml.MIME));
        Matcher m = Pattern.compile("<div id=\"([^\"]+)\"").matcher((String) second.get("text/html"));
        assertTrue(m.find());
        assertTrue(m.group(1).matches("[A-Za-z_$][A-Za-z0-9_$]*"), m.group(1));
    }

    @Test
    void loaderCarriesTheLibraryGzippedAndHiddenFromRequireJs() throws IOException {
        String loader = PlotlyHtml.loaderScript();
        String body = loader.substring(loader.indexOf("<script") + 7, loader.lastIndexOf("</script>"));
        assertFalse(body.contains("</script"), "the script cannot end early");
        assertTrue(body.contains("new DecompressionStream('gzip')"));
        assertTrue(body.contains("(function (define, module, exports) {"));

        Matcher packed = Pattern.compile("atob\\('([A-Za-z0-9+/=]+)'\\)").matcher(body);
        assertTrue(packed.find(), "the library travels as one base64 string");
        String inflated = new String(gunzip(Base64.getDecoder().decode(packed.group(1))), StandardCharsets.UTF_8);
        assertEquals(PlotlyLibrary.configured().text(), inflated);
        assertTrue(inflated.contains("plotly.js v" + PlotlyLibrary.VERSION));
    }

    @Test
    void embeddedLibraryIsUnderAThirdOfItsSize() {
        // the webjar's unminified copy here (no data/plotly in unit tests): 10 MB as 3.2 MB; the minified 4.6 as 1.8
        PlotlyLibrary webjar = PlotlyLibrary.load(null);
        int embedded = webjar.gzipBase64().length();
        assertTrue(embedded < webjar.text().length() / 3, embedded + " of " + webjar.text().length());
        assertTrue(embedded < 3_500_000, "an executed notebook with a chart stays under 4 MB: " + embedded);
    }

    @Test
    void minifiedFileIsEmbeddedWhenPresentElseTheWebjarCopy(@TempDir Path dir) throws IOException {
        Path min = dir.resolve("plotly.min.js");
        String fake = "/**\n* plotly.js v" + PlotlyLibrary.VERSION + "\n*/\nwindow.Plotly={};";
        Files.writeString(min, fake);
        PlotlyLibrary present = PlotlyLibrary.load(min.toString());
        assertEquals(fake, present.text());
        assertEquals("minified, plotly.min.js", present.source());
        assertEquals(fake, new String(gunzip(Base64.getDecoder().decode(present.gzipBase64())), StandardCharsets.UTF_8));

        Files.delete(min);
        for (String absent : new String[]{min.toString(), null, ""}) {
            PlotlyLibrary webjar = PlotlyLibrary.load(absent);
            assertEquals("webjar plotly.js-dist", webjar.source());
            assertTrue(webjar.text().contains("plotly.js v" + PlotlyLibrary.VERSION));
            assertTrue(webjar.text().length() > 5_000_000, "the unminified library");
        }
    }

    @Test
    void minifiedFileOfAnotherVersionIsPassedOver(@TempDir Path dir) throws IOException {
        Path min = Files.writeString(dir.resolve("plotly.min.js"), "/**\n* plotly.js v3.0.1\n*/\nwindow.Plotly={};");
        assertEquals("webjar plotly.js-dist", PlotlyLibrary.load(min.toString()).source());
    }

    private static byte[] gunzip(byte[] gzipped) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }

    @Test
    void jsLiteralRejectsCode() {
        assertThrows(IllegalArgumentException.class, () -> JsLiteral.read("{x: new Date(1)}", 0));
        assertEquals("{\"a\":[1,\"b\\\"c\",true],\"d\":{}}", JsLiteral.read("{a: [1, 'b\"c', true,], d: {},}", 0)[0]);
    }
}
