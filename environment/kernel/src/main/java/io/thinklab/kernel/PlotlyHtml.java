package io.thinklab.kernel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tech.tablesaw.plotly.components.Figure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a Tablesaw/Plotly {@link Figure} for a notebook with no internet.
 *
 * <p>Two representations: {@code application/vnd.plotly.v1+json} (the figure as data; JupyterLab with the Plotly
 * extension and VS Code draw it natively) and a {@code text/html} fallback that draws it with plotly.js 2.35.3.
 * The library is embedded once per kernel session, with the first figure; later figures wait until
 * {@code window.Plotly} exists. Which copy: the minified {@code plotly.min.js} (4.6 MB, npm's
 * {@code plotly.js-dist-min}, fetched by {@code environment/lab} into {@code data/plotly/}) named by the system
 * property {@value #MIN_PROPERTY} (the kernelspec sets it), when that file exists and is this version; else the
 * unminified {@code plotly.js} (10 MB) from the {@code org.webjars.npm:plotly.js-dist} jar. The embedded library
 * runs with {@code define}, {@code module} and {@code exports} hidden, so RequireJS (classic Notebook, nbconvert)
 * cannot capture it as an anonymous module. Why 2.35.3: Tablesaw 0.44.4 writes string titles and
 * {@code titlefont}, which plotly.js 3 silently drops.
 */
final class PlotlyHtml {
    static final String PLOTLY_VERSION = "2.35.3";
    static final String MIME = "application/vnd.plotly.v1+json";
    /** The path of a minified plotly.js to embed instead of the webjar's copy. */
    static final String MIN_PROPERTY = "thinklab.plotly.js";
    private static final String RESOURCE = "META-INF/resources/webjars/plotly.js-dist/" + PLOTLY_VERSION + "/plotly.js";
    private static final Logger LOG = LoggerFactory.getLogger(PlotlyHtml.class);
    private static final Pattern VAR = Pattern.compile("var (layout|config|trace\\d+)\\s*=\\s*");
    private static final AtomicBoolean INJECTED = new AtomicBoolean();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static volatile Library library;

    /** The plotly.js text and where it came from (said in the page, without the machine's paths). */
    record Library(String text, String source) {
    }

    private PlotlyHtml() {
    }

    /** The mime bundle of a figure: the Plotly JSON (when Tablesaw's script can be read as data) and HTML. */
    static Map<String, Object> bundle(Figure figure) {
        // a div id that is also a valid JavaScript identifier (Tablesaw names a variable after it)
        String id = "thinklab_plot_" + IDS.incrementAndGet() + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        String script = figure.asJavascript(id);
        JsonObject spec = specOf(script);
        Map<String, Object> bundle = new LinkedHashMap<>();
        if (spec != null) bundle.put(MIME, spec);
        String loader = INJECTED.compareAndSet(false, true) ? loaderScript() : "";
        bundle.put("text/html", loader + (spec != null ? drawFromSpec(id, spec) : drawFromTablesaw(id, script)));
        bundle.put("text/plain", "Plotly figure" + titleOf(spec));
        return bundle;
    }

    /** Plotly's figure JSON ({@code data}, {@code layout}, {@code config}) read from Tablesaw's script, or null. */
    static JsonObject specOf(String script) {
        try {
            JsonObject spec = new JsonObject();
            com.google.gson.JsonArray data = new com.google.gson.JsonArray();
            Matcher m = VAR.matcher(script);
            int from = 0;
            while (m.find(from)) {
                Object[] read = JsLiteral.read(script, m.end());
                JsonElement value = JsonParser.parseString((String) read[0]);
                String name = m.group(1);
                if (name.startsWith("trace")) data.add(value);
                else spec.add(name, value);
                from = (int) read[1];
            }
            if (data.isEmpty()) return null;
            spec.add("data", data);
            if (!spec.has("layout")) spec.add("layout", new JsonObject());
            return spec;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String titleOf(JsonObject spec) {
        try {
            JsonElement title = spec.getAsJsonObject("layout").get("title");
            if (title == null) return "";
            String text = title.isJsonObject() ? title.getAsJsonObject().get("text").getAsString() : title.getAsString();
            return ": " + text;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String drawFromSpec(String id, JsonObject spec) {
        JsonObject layout = spec.getAsJsonObject("layout");
        String style = "";
        if (layout.has("width") && layout.has("height")) {
            style = " style=\"width:" + layout.get("width").getAsInt() + "px;height:" + layout.get("height").getAsInt() + "px;\"";
        }
        String json = spec.toString().replace("</", "<\\/");
        return "<div id=\"" + id + "\"" + style + "></div>\n"
                + "<script type=\"text/javascript\">\n"
                + "(function () {\n"
                + "  var spec = " + json + ";\n"
                + "  function draw() {\n"
                + "    var el = document.getElementById('" + id + "');\n"
                + "    if (!window.Plotly || !el) { return setTimeout(draw, 25); }\n"
                + "    window.Plotly.newPlot(el, spec.data, spec.layout, spec.config || {});\n"
                + "  }\n"
                + "  draw();\n"
                + "})();\n"
                + "</script>\n";
    }

    private static String drawFromTablesaw(String id, String script) {
        String body = script.replaceAll("</?script[^>]*>", "");
        return "<div id=\"" + id + "\"></div>\n"
                + "<script type=\"text/javascript\">\n"
                + "(function () {\n"
                + "  function draw() {\n"
                + "    if (!window.Plotly || !document.getElementById('" + id + "')) { return setTimeout(draw, 25); }\n"
                + "    var Plotly = window.Plotly;\n"
                + body.replace("</", "<\\/") + "\n"
                + "  }\n"
                + "  draw();\n"
                + "})();\n"
                + "</script>\n";
    }

    /** The plotly.js library as one script element, hidden from RequireJS. */
    static String loaderScript() {
        return "<script type=\"text/javascript\">\n"
                + "/* plotly.js " + PLOTLY_VERSION + " (" + library().source() + "), embedded once per kernel session by"
                + " ThinkLab's kernel; define/module/exports are hidden so RequireJS does not capture it */\n"
                + "if (!window.Plotly) { (function (define, module, exports) {\n"
                + library().text().replace("</script", "<\\/script")
                + "\n}).call(window); }\n"
                + "</script>\n";
    }

    /** The library to embed, read once per kernel session. */
    static Library library() {
        Library lib = library;
        if (lib == null) {
            lib = load(System.getProperty(MIN_PROPERTY));
            library = lib;
        }
        return lib;
    }

    /**
     * The minified file at {@code minPath} when it exists and says it is plotly.js {@value #PLOTLY_VERSION} (its
     * first lines do); else the webjar's unminified copy. A file of another version is passed over with a warning:
     * Tablesaw's titles need 2.x.
     */
    static Library load(String minPath) {
        if (minPath != null && !minPath.isBlank()) {
            Path min = Path.of(minPath);
            if (Files.isRegularFile(min)) {
                try {
                    String text = Files.readString(min);
                    if (text.substring(0, Math.min(text.length(), 200)).contains("plotly.js v" + PLOTLY_VERSION)) {
                        return new Library(text, "minified, " + min.getFileName());
                    }
                    LOG.warn("{} is not plotly.js {}: embedding the webjar's copy", min, PLOTLY_VERSION);
                } catch (IOException e) {
                    LOG.warn("cannot read {} ({}): embedding the webjar's copy", min, e.getMessage());
                }
            }
        }
        try (InputStream in = PlotlyHtml.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("plotly.js " + PLOTLY_VERSION + " is not on the class path (" + RESOURCE + ")");
            return new Library(new String(in.readAllBytes(), StandardCharsets.UTF_8), "webjar plotly.js-dist");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets that plotly.js was embedded, so the next figure carries it again (for tests and a fresh page). */
    static void forgetInjected() {
        INJECTED.set(false);
    }
}
