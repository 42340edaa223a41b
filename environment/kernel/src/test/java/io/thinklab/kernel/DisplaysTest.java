package io.thinklab.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DisplaysTest {
    /** A library report object: it knows nothing of the kernel, only the convention. */
    public static final class Report {
        public Map<String, String> mimeBundle() {
            return Map.of("text/html", "<b>report</b>", "application/json", "{\"n\": 3}");
        }
    }

    public static final class HtmlOnly {
        public String toHtml() {
            return "<i>html</i>";
        }
    }

    private static Object data(DisplayData d, String mime) {
        return d.getData(MIMEType.parse(mime));
    }

    @Test
    void conventionMimeBundleAndToHtml() {
        DisplayData d = Displays.render(new Report());
        assertEquals("<b>report</b>", data(d, "text/html"));
        assertTrue(data(d, "application/json") instanceof com.google.gson.JsonObject, "JSON mimes are sent as JSON");
        assertNotNull(data(d, "text/plain"));
        assertEquals("<i>html</i>", data(Displays.render(new HtmlOnly()), "text/html"));
    }

    @Test
    void mimeFilterKeepsPlainText() {
        DisplayData d = Displays.render(new Report(), "html");
        assertNotNull(data(d, "text/html"));
        assertNull(data(d, "application/json"));
        assertNotNull(data(d, "text/plain"));
    }

    @Test
    void longTablesShowHeadAndTail() {
        Table t = Table.create("n", IntColumn.create("n", IntStream.range(0, 100).toArray()));
        String html = Displays.tableHtml(t);
        assertTrue(html.contains("<td>9</td>") && html.contains("<td>95</td>") && html.contains("<td>99</td>"));
        assertFalse(html.contains("<td>10</td>") || html.contains("<td>94</td>"));
        assertTrue(html.contains("100 rows"));
    }

    @Test
    void htmlIsEscaped() {
        Table t = Table.create("<x>", tech.tablesaw.api.StringColumn.create("s", new String[]{"<script>"}));
        assertFalse(Displays.tableHtml(t).contains("<script>"));
    }

    @Test
    void imagesArePng() {
        String png = (String) data(Displays.render(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB)), "image/png");
        assertTrue(png.startsWith("iVBORw0KGgo"), "base64 of the PNG signature");
    }

    @Test
    void registeredRendererWins() {
        Displays.register(StringBuilder.class, sb -> Map.of("text/markdown", "**" + sb + "**"));
        assertEquals("**hi**", data(Displays.render(new StringBuilder("hi")), "text/markdown"));
    }
}
