package io.thinklab.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads a JSONL file line by line, gzipped or not, decoding each line's bytes on its own so that one line of
 * invalid UTF-8 becomes one {@code invalid_utf8} reject instead of a failed load. Blank lines are not rows.
 */
final class JsonlReader {
  private JsonlReader() {}

  static void read(Path file, Consumer<RawRow> sink) {
    String name = file.toString();
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (InputStream in = open(file)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(1 << 16);
      byte[] chunk = new byte[1 << 16];
      long number = 0;
      int n;
      while ((n = in.read(chunk)) > 0) {
        int from = 0;
        for (int i = 0; i < n; i++) {
          if (chunk[i] == '\n') {
            line.write(chunk, from, i - from);
            emit(name, ++number, line.toByteArray(), utf8, sink);
            line.reset();
            from = i + 1;
          }
        }
        line.write(chunk, from, n - from);
      }
      if (line.size() > 0) {
        emit(name, ++number, line.toByteArray(), utf8, sink); // last line without a newline
      }
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static void emit(String name, long line, byte[] bytes, CharsetDecoder utf8, Consumer<RawRow> sink) {
    int len = bytes.length;
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    int start = line == 1 && len >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
        && (bytes[2] & 0xff) == 0xBF ? 3 : 0; // a UTF-8 byte-order mark
    String text;
    try {
      text = utf8.reset().decode(ByteBuffer.wrap(bytes, start, len - start)).toString();
    } catch (CharacterCodingException e) {
      sink.accept(new RawRow(name, line, null, "line is not valid UTF-8 (" + e.getMessage() + ")"));
      return;
    }
    if (!text.isBlank()) {
      sink.accept(new RawRow(name, line, text, null));
    }
  }

  /** Opens the file, unzipping it when it starts with the gzip magic bytes (whatever its name). */
  private static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
  }
}
