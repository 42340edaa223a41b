package io.thinklab.kernel;

/**
 * Turns a JavaScript object literal, as Tablesaw's Plotly templates write them, into strict JSON.
 *
 * <p>Tablesaw writes {@code {title: 'Loss', xaxis: {title: 'step',},}}: unquoted keys, single-quoted strings and
 * trailing commas. This reader accepts exactly that (plus numbers, true/false/null and double-quoted strings) and
 * fails on anything else (a function, a {@code new Date}), so the caller can fall back to Tablesaw's own script.
 */
final class JsLiteral {
    private final String src;
    private int pos;

    private JsLiteral(String src, int pos) {
        this.src = src;
        this.pos = pos;
    }

    /** Reads the literal that starts at or after {@code from}; returns {json, endIndex}. */
    static Object[] read(String src, int from) {
        JsLiteral r = new JsLiteral(src, from);
        StringBuilder out = new StringBuilder();
        r.value(out);
        return new Object[]{out.toString(), r.pos};
    }

    private void value(StringBuilder out) {
        skipSpace();
        char c = peek();
        if (c == '{') {
            object(out);
        } else if (c == '[') {
            array(out);
        } else if (c == '\'' || c == '"') {
            string(out);
        } else if (c == '-' || Character.isDigit(c) || c == '.') {
            int start = pos;
            while (pos < src.length() && "+-.eE0123456789".indexOf(src.charAt(pos)) >= 0) pos++;
            out.append(src, start, pos);
        } else {
            String word = identifier();
            if (!word.equals("true") && !word.equals("false") && !word.equals("null")) {
                throw new IllegalArgumentException("not a literal: " + word);
            }
            out.append(word);
        }
    }

    private void object(StringBuilder out) {
        pos++; // {
        out.append('{');
        boolean first = true;
        while (true) {
            skipSpace();
            if (peek() == '}') {
                pos++;
                out.append('}');
                return;
            }
            if (!first) out.append(',');
            first = false;
            char c = peek();
            if (c == '\'' || c == '"') {
                string(out);
            } else {
                out.append('"').append(identifier()).append('"');
            }
            skipSpace();
            expect(':');
            out.append(':');
            value(out);
            skipSpace();
            if (peek() == ',') pos++;
            else if (peek() != '}') throw new IllegalArgumentException("expected , or } at " + pos);
        }
    }

    private void array(StringBuilder out) {
        pos++; // [
        out.append('[');
        boolean first = true;
        while (true) {
            skipSpace();
            if (peek() == ']') {
                pos++;
                out.append(']');
                return;
            }
            if (!first) out.append(',');
            first = false;
            value(out);
            skipSpace();
            if (peek() == ',') pos++;
            else if (peek() != ']') throw new IllegalArgumentException("expected , or ] at " + pos);
        }
    }

    private void string(StringBuilder out) {
        char quote = src.charAt(pos++);
        out.append('"');
        while (true) {
            if (pos >= src.length()) throw new IllegalArgumentException("unterminated string");
            char c = src.charAt(pos++);
            if (c == quote) break;
            if (c == '\\') {
                char e = src.charAt(pos++);
                if (e == '\'') out.append('\'');
                else out.append('\\').append(e);
            } else if (c == '"') {
                out.append("\\\"");
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private String identifier() {
        int start = pos;
        while (pos < src.length() && (Character.isJavaIdentifierPart(src.charAt(pos)))) pos++;
        if (start == pos) throw new IllegalArgumentException("unexpected '" + peek() + "' at " + pos);
        return src.substring(start, pos);
    }

    private void expect(char c) {
        if (peek() != c) throw new IllegalArgumentException("expected " + c + " at " + pos);
        pos++;
    }

    private char peek() {
        if (pos >= src.length()) throw new IllegalArgumentException("unexpected end");
        return src.charAt(pos);
    }

    private void skipSpace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
    }
}
