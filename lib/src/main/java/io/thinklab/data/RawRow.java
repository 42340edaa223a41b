package io.thinklab.data;

/**
 * One undecoded row as a source yields it: its text, or why its bytes could not be decoded.
 *
 * @param file      the file name used in reports
 * @param line      1-based line (JSONL) or row number (Parquet)
 * @param text      the row's JSON text, or null when {@code utf8Error} is set
 * @param utf8Error the decoding error, or null
 */
record RawRow(String file, long line, String text, String utf8Error) {}
