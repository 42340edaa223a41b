package io.thinklab.kernel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tech.tablesaw.plotly.components.Figure;

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
 * extension and VS Code draw it natively) and a {@code text/html} fallback that draws it with plotly.js 2.35.3
 * (classic Notebook, JupyterLab without the extension, nbconvert's HTML export). The library ({@link PlotlyLibrary})
 * is embedded once per kernel session, with the first figure, gzip-compressed and base64-encoded; the page inflates
 * it with {@code DecompressionStream} and runs it with {@code define}, {@code module} and {@code exports} hidden, so
 * RequireJS (classic Notebook, nbconvert) cannot capture it as an anonymous module. Each figure's script waits until
 * {@code window.Plotly} exists, then draws. Why 2.35.3: Tablesaw 0.44.4 writes string titles and {@code titlefont},
 * which plotly.js 3 silently drops.
 */
final class PlotlyHtml {
    static final String MIME = "application/vnd.plotly.v1+json";
    /** Set on {@code window} by the loader when this browser cannot inflate the library; each chart then says it. */
    private static final String ERROR_FLAG = "thinklabPlotlyError";
    private static final Pattern VAR = Pattern.compile("var (layout|config|trace\\d+)\\s*=\\s*");
    private static final AtomicBoolean INJECTED = new AtomicBoolean();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static volatile String cachedLoader;

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
                + drawWhenLoaded(id, "  var spec = " + json + ";\n",
                "    window.Plotly.newPlot(el, spec.data, spec.layout, spec.config || {});\n");
    }

    private static String drawFromTablesaw(String id, String script) {
        String body = script.replaceAll("</?script[^>]*>", "");
        return "<div id=\"" + id + "\"></div>\n"
                + drawWhenLoaded(id, "", "    var Plotly = window.Plotly;\n" + body.replace("</", "<\\/") + "\n");
    }

    /** A script that runs {@code draw} once the chart's div and plotly.js exist, or says why plotly.js never came. */
    private static String drawWhenLoaded(String id, String setup, String draw) {
        return "<script type=\"text/javascript\">\n"
                + "(function () {\n"
                + setup
                + "  function draw() {\n"
                + "    var el = document.getElementById('" + id + "');\n"
                + "    if (el && window." + ERROR_FLAG + ") { el.textContent = window." + ERROR_FLAG + "; return; }\n"
                + "    if (!window.Plotly || !el) { return setTimeout(draw, 25); }\n"
                + draw
                + "  }\n"
                + "  draw();\n"
                + "})();\n"
                + "</script>\n";
    }

    /**
     * plotly.js as one script element that inflates the embedded gzip+base64 copy and runs it hidden from RequireJS
     * (in a function whose {@code define}, {@code module} and {@code exports} are undefined). Built once per session.
     */
    static String loaderScript() {
        String script = cachedLoader;
        if (script == null) {
            PlotlyLibrary library = PlotlyLibrary.configured();
            String base64 = library.gzipBase64();
            script = "<script type=\"text/javascript\">\n"
                    + "/* plotly.js " + PlotlyLibrary.VERSION + " (" + library.source() + "; " + megabytes(library.text().length())
                    + " MB as " + megabytes(base64.length()) + " MB of gzip + base64), embedded once per kernel session by"
                    + " ThinkLab's kernel: inflated here with DecompressionStream, run with define/module/exports hidden"
                    + " so RequireJS does not capture it */\n"
                    + "(function () {\n"
                    + "  if (window.Plotly || window.thinklabPlotlyLoading) { return; }\n"
                    + "  if (typeof DecompressionStream === 'undefined') {\n"
                    + "    window." + ERROR_FLAG + " = 'This browser cannot inflate the embedded plotly.js (no"
                    + " DecompressionStream): open the notebook in a current Chromium, Firefox or Safari.';\n"
                    + "    return;\n"
                    + "  }\n"
                    + "  window.thinklabPlotlyLoading = true;\n"
                    + "  var packed = atob('" + base64 + "');\n"
                    + "  var bytes = new Uint8Array(packed.length);\n"
                    + "  for (var i = 0; i < packed.length; i++) { bytes[i] = packed.charCodeAt(i); }\n"
                    + "  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text()\n"
                    + "    .then(function (js) {\n"
                    + "      var s = document.createElement('script');\n"
                    + "      s.text = 'if (!window.Plotly) { (function (define, module, exports) {\\n' + js + '\\n}).call(window); }';\n"
                    + "      document.head.appendChild(s);\n"
                    + "    })\n"
                    + "    .catch(function (e) { window." + ERROR_FLAG + " = 'plotly.js could not be inflated: ' + e; })\n"
                    + "    .then(function () { window.thinklabPlotlyLoading = false; });\n"
                    + "})();\n"
                    + "</script>\n";
            cachedLoader = script;
        }
        return script;
    }

    private static String megabytes(long n) {
        return String.format(java.util.Locale.ROOT, "%.1f", n / 1e6);
    }

    /** Forgets that plotly.js was embedded, so the next figure carries it again (for tests and a fresh page). */
    static void forgetInjected() {
        INJECTED.set(false);
    }
}
