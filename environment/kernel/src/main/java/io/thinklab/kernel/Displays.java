package io.thinklab.kernel;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import javax.imageio.ImageIO;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Turns any object into a Jupyter mime bundle: what a cell shows for it.
 *
 * <p>In order, the first that applies:
 * <ol>
 *   <li>a renderer registered for its type with {@link #register} (notebook code may add its own);</li>
 *   <li>built in: Tablesaw {@code Table} (HTML, head and tail of long tables), Tablesaw/Plotly {@code Figure}
 *       (see {@link PlotlyHtml}), {@code java.awt.image.RenderedImage} (PNG);</li>
 *   <li><b>the convention for library objects</b>, which needs no dependency on this module: a public no-argument
 *       method {@code Map<String, String> mimeBundle()} (mime type to content: text as is, images base64,
 *       {@code application/json} and {@code *+json} as JSON text), else a public {@code String toHtml()};</li>
 *   <li>text ({@code CharSequence}) asked for as some mime types, as IJava does: the text as it is under each one,
 *       so {@code display("<b>x</b>", "text/html")} shows bold x and {@code display(js, "application/javascript")}
 *       runs the script ({@code application/json} and {@code *+json} must then hold JSON);</li>
 *   <li>{@code String.valueOf(x)} as {@code text/plain}, which every bundle also carries.</li>
 * </ol>
 *
 * <p>When mime types are given, only those (and {@code text/plain}) are kept; one the object cannot be shown as is
 * left out, as in IJava.
 */
public final class Displays {
    private static final List<Entry<?>> REGISTERED = new CopyOnWriteArrayList<>();
    private static final int TABLE_FULL = 20;
    private static final int TABLE_HEAD = 10;
    private static final int TABLE_TAIL = 5;
    private static final Map<String, String> ALIASES = Map.of(
            "html", "text/html", "plain", "text/plain", "text", "text/plain", "markdown", "text/markdown",
            "png", "image/png", "svg", "image/svg+xml", "json", "application/json", "plotly", PlotlyHtml.MIME,
            "latex", "text/latex");

    private record Entry<T>(Class<T> type, Function<? super T, Map<String, ?>> renderer) {
        Map<String, ?> apply(Object o) {
            return renderer.apply(type.cast(o));
        }
    }

    private Displays() {
    }

    /** Registers how to show objects of {@code type}; later registrations win over earlier ones and built-ins. */
    public static <T> void register(Class<T> type, Function<? super T, Map<String, ?>> renderer) {
        REGISTERED.add(0, new Entry<>(type, renderer));
    }

    /** The mime bundle for {@code value}, keeping only {@code mimes} (and text/plain) when some are given. */
    public static DisplayData render(Object value, String... mimes) {
        if (value instanceof DisplayData) {
            return new DisplayData((DisplayData) value);
        }
        Set<String> wanted = wanted(mimes);
        Map<String, ?> bundle = bundleOf(value, wanted);
        DisplayData data = new DisplayData();
        for (Map.Entry<String, ?> e : bundle.entrySet()) {
            if (wanted != null && !wanted.contains(e.getKey()) && !e.getKey().equals("text/plain")) continue;
            Object v = e.getValue();
            if (v instanceof String && isJson(e.getKey())) v = json(e.getKey(), (String) v);
            data.putData(e.getKey(), v);
        }
        if (!bundle.containsKey("text/plain")) data.putText(String.valueOf(value));
        return data;
    }

    /** The requested mime types, aliases resolved, in the order given; null when none were given. */
    private static Set<String> wanted(String... mimes) {
        if (mimes == null || mimes.length == 0) return null;
        Set<String> set = new LinkedHashSet<>();
        for (String m : mimes) set.add(ALIASES.getOrDefault(m, m));
        return set;
    }

    static boolean isJson(String mime) {
        return mime.equals("application/json") || mime.endsWith("+json");
    }

    private static Object json(String mime, String text) {
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(mime + " must be JSON text: " + e.getMessage(), e);
        }
    }

    /** What {@code value} can be shown as; {@code wanted} (or null) are the mime types asked for. */
    static Map<String, ?> bundleOf(Object value, Set<String> wanted) {
        if (value == null) return Map.of("text/plain", "null");
        for (Entry<?> e : REGISTERED) {
            if (e.type().isInstance(value)) return e.apply(value);
        }
        if (value instanceof CharSequence text && wanted != null) {
            Map<String, String> asAsked = new LinkedHashMap<>();
            for (String mime : wanted) asAsked.put(mime, text.toString());
            asAsked.putIfAbsent("text/plain", text.toString());
            return asAsked;
        }
        if (value instanceof Table) return Map.of("text/html", tableHtml((Table) value));
        if (value instanceof Figure) return PlotlyHtml.bundle((Figure) value);
        if (value instanceof RenderedImage) return Map.of("image/png", png((RenderedImage) value));
        Map<String, ?> byConvention = byConvention(value);
        return byConvention != null ? byConvention : Map.of();
    }

    /** The library convention: {@code mimeBundle()} or {@code toHtml()}, found by reflection. */
    private static Map<String, ?> byConvention(Object value) {
        try {
            Method m = publicMethod(value.getClass(), "mimeBundle");
            if (m != null && Map.class.isAssignableFrom(m.getReturnType())) {
                Map<?, ?> raw = (Map<?, ?>) m.invoke(value);
                Map<String, Object> bundle = new LinkedHashMap<>();
                if (raw != null) raw.forEach((k, v) -> bundle.put(String.valueOf(k), v instanceof String ? v : String.valueOf(v)));
                return bundle;
            }
            Method h = publicMethod(value.getClass(), "toHtml");
            if (h != null && h.getReturnType() == String.class) {
                return Map.of("text/html", String.valueOf(h.invoke(value)));
            }
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("rendering " + value.getClass().getName() + " failed: " + cause, cause);
        }
        return null;
    }

    private static Method publicMethod(Class<?> type, String name) {
        try {
            Method m = type.getMethod(name);
            m.setAccessible(true); // records and classes declared in a cell are not public
            return m;
        } catch (NoSuchMethodException | RuntimeException e) {
            return null;
        }
    }

    /** A Tablesaw table as an HTML table: every row up to 20, else the first 10, a gap row and the last 5. */
    static String tableHtml(Table t) {
        int rows = t.rowCount();
        List<Integer> shown = new ArrayList<>();
        boolean cut = rows > TABLE_FULL;
        for (int r = 0; r < (cut ? TABLE_HEAD : rows); r++) shown.add(r);
        if (cut) {
            shown.add(-1);
            for (int r = rows - TABLE_TAIL; r < rows; r++) shown.add(r);
        }
        StringBuilder h = new StringBuilder("<table class=\"dataframe thinklab-table\" border=\"1\">\n<caption>")
                .append(escape(t.name() == null ? "" : t.name())).append(" (").append(rows).append(" rows \u00d7 ")
                .append(t.columnCount()).append(" columns)</caption>\n<thead><tr>");
        for (String c : t.columnNames()) h.append("<th>").append(escape(c)).append("</th>");
        h.append("</tr></thead>\n<tbody>\n");
        for (int r : shown) {
            h.append("<tr>");
            for (int c = 0; c < t.columnCount(); c++) {
                h.append("<td>").append(r < 0 ? "\u2026" : escape(t.getString(r, c))).append("</td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</tbody>\n</table>\n").toString();
    }

    static String png(RenderedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
