package io.thinklab.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The plotly.js 2.35.3 that a chart's HTML carries, and the light form it travels in.
 *
 * <p>Which copy: the minified {@code plotly.min.js} (4.6 MB, npm's {@code plotly.js-dist-min}, fetched by
 * {@code environment/lab} into {@code data/plotly/}) named by the system property {@value #MIN_PROPERTY} (the
 * kernelspec sets it), when that file exists and is this version; else the unminified {@code plotly.js} (10 MB) from
 * the {@code org.webjars.npm:plotly.js-dist} jar, so charts draw offline even when npm was not reachable at set-up.
 *
 * <p>Either is embedded gzip-compressed and base64-encoded ({@link #gzipBase64()}): 1.8 MB for the minified copy,
 * 3.2 MB for the webjar's, instead of 4.6 and 10 MB, and base64 needs no escaping inside a script or a notebook's
 * JSON. The page inflates it with the browser's {@code DecompressionStream('gzip')} (every current browser has it).
 *
 * @param text   the library's JavaScript
 * @param source where it came from, said in the page without the machine's paths
 */
record PlotlyLibrary(String text, String source) {
    static final String VERSION = "2.35.3";
    /** The path of a minified plotly.js to embed instead of the webjar's copy. */
    static final String MIN_PROPERTY = "thinklab.plotly.js";
    private static final String RESOURCE = "META-INF/resources/webjars/plotly.js-dist/" + VERSION + "/plotly.js";
    private static final Logger LOG = LoggerFactory.getLogger(PlotlyLibrary.class);

    /**
     * The minified file at {@code minPath} when it exists and says it is plotly.js {@value #VERSION} (its first lines
     * do); else the webjar's unminified copy. A file of another version is passed over with a warning: Tablesaw's
     * string titles need 2.x (plotly.js 3 drops them).
     */
    static PlotlyLibrary load(String minPath) {
        if (minPath != null && !minPath.isBlank()) {
            Path min = Path.of(minPath);
            if (Files.isRegularFile(min)) {
                try {
                    String text = Files.readString(min);
                    if (text.substring(0, Math.min(text.length(), 200)).contains("plotly.js v" + VERSION)) {
                        return new PlotlyLibrary(text, "minified, " + min.getFileName());
                    }
                    LOG.warn("{} is not plotly.js {}: embedding the webjar's copy", min, VERSION);
                } catch (IOException e) {
                    LOG.warn("cannot read {} ({}): embedding the webjar's copy", min, e.getMessage());
                }
            }
        }
        try (InputStream in = PlotlyLibrary.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("plotly.js " + VERSION + " is not on the class path (" + RESOURCE + ")");
            return new PlotlyLibrary(new String(in.readAllBytes(), StandardCharsets.UTF_8), "webjar plotly.js-dist");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The library named by {@value #MIN_PROPERTY}, or the webjar's. */
    static PlotlyLibrary configured() {
        return load(System.getProperty(MIN_PROPERTY));
    }

    /** The library's UTF-8 bytes, gzip-compressed at the best level, then base64 (standard alphabet, one line). */
    String gzipBase64() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() / 3);
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, 1 << 16) {{ def.setLevel(Deflater.BEST_COMPRESSION); }}) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
