package io.thinklab.data;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

/**
 * Reads a Parquet file with DuckDB's embedded JDBC driver (no Hadoop): each row comes back as one JSON object
 * ({@code to_json}), so Parquet rows go through exactly the same mapping and validation as JSONL lines.
 * Nested columns such as a {@code messages} list of structs become JSON arrays of objects.
 */
final class ParquetReader {
  private ParquetReader() {}

  static void read(Path file, Consumer<RawRow> sink) {
    String name = file.toString();
    String literal = "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
         Statement st = db.createStatement()) {
      st.execute("SET preserve_insertion_order = true");
      try (ResultSet rs = st.executeQuery("SELECT to_json(t)::VARCHAR FROM read_parquet(" + literal + ") AS t")) {
        long row = 0;
        while (rs.next()) {
          sink.accept(new RawRow(name, ++row, rs.getString(1), null));
        }
      }
    } catch (SQLException e) {
      throw new UncheckedIOException(name + ": cannot read Parquet: " + e.getMessage(), new java.io.IOException(e));
    }
  }
}
