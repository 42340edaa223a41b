package io.thinklab.generate;

import java.util.function.LongFunction;

/** Test codecs: one character per id over a 61-symbol alphabet, or any id → text function. */
final class CharCodec implements TextCodec {
  static final String ALPHABET = "\u0000\u0001\u0002 abcdefghijklmnopqrstuvwxyz0123456789<>/\n.:+-=?ABCDEFGHIJK";

  private final LongFunction<String> piece;

  private CharCodec(LongFunction<String> piece) {
    this.piece = piece;
  }

  static CharCodec chars() {
    return new CharCodec(id -> String.valueOf(ALPHABET.charAt((int) id)));
  }

  static CharCodec pieces(LongFunction<String> piece) {
    return new CharCodec(piece);
  }

  @Override
  public long[] encode(String text) {
    return text.chars().mapToLong(c -> ALPHABET.indexOf(c)).toArray();
  }

  @Override
  public String decode(long[] ids) {
    StringBuilder sb = new StringBuilder();
    for (long id : ids) {
      sb.append(piece.apply(id));
    }
    return sb.toString();
  }
}
