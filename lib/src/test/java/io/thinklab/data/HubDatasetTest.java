package io.thinklab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub path without the internet: an unreachable port, and a tiny local server that speaks the hub's API. */
class HubDatasetTest {
  @TempDir
  Path dir;

  @Test
  void offlineErrorNamesTheIdTheUrlAndTheFailure() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    HubDataset hub = HubDataset.of("crownelius/Opus-4.6-Reasoning-3300x").endpoint("http://127.0.0.1:" + port)
        .cache(dir).timeout(Duration.ofSeconds(5));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Dataset.hub(hub).read());
    assertTrue(e.getMessage().contains("'crownelius/Opus-4.6-Reasoning-3300x'"), e.getMessage());
    assertTrue(e.getMessage().contains("http://127.0.0.1:" + port + "/api/datasets/crownelius/"), e.getMessage());
    assertTrue(e.getMessage().contains("ConnectException"), e.getMessage());
  }

  @Test
  void badIdsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> HubDataset.of("no-slash"));
    assertThrows(IllegalArgumentException.class, () -> HubDataset.of("../etc/passwd"));
  }

  @Test
  void downloadsTrainFilesOnceThenReadsTheCache() throws IOException {
    String row = Fixtures.row("1", "P", "thinking that is long enough", "S");
    List<String> hits = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      hits.add(path);
      String body = switch (path) {
        case "/api/datasets/me/tiny" -> "{\"siblings\":[{\"rfilename\":\"README.md\"},"
            + "{\"rfilename\":\"data/train.jsonl\"},{\"rfilename\":\"data/test.jsonl\"}]}";
        case "/datasets/me/tiny/resolve/main/data/train.jsonl" -> row + "\n";
        default -> null;
      };
      byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    try {
      String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
      LoadResult r = Dataset.hub(HubDataset.of("me/tiny").endpoint(endpoint).cache(dir)).read();
      assertEquals("hf:me/tiny", r.source());
      assertEquals(1, r.accepted());
      assertTrue(Files.exists(dir.resolve("me/tiny/data/train.jsonl")));
      assertEquals(List.of("/api/datasets/me/tiny", "/datasets/me/tiny/resolve/main/data/train.jsonl"), hits);

      hits.clear();
      assertEquals(1, Dataset.hub(HubDataset.of("me/tiny").endpoint(endpoint).cache(dir)).read().accepted());
      assertEquals(List.of(), hits, "second load is served from the cache");

      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> HubDataset.of("me/absent").endpoint(endpoint).cache(dir).files());
      assertTrue(e.getMessage().contains("'me/absent'") && e.getMessage().contains("HTTP 404"), e.getMessage());
    } finally {
      server.stop(0);
    }
  }
}
