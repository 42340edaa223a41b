package io.thinklab.sample;

/** Tiny text helpers for the teachers. */
final class Text {
  private Text() {}

  static String cap(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
