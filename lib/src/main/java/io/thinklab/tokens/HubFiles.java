package io.thinklab.tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Downloads a tokenizer's two files from the Hugging Face hub over plain HTTPS into a git-ignored cache
 * ({@code data/hub/<owner>--<name>/}), once. Offline, it fails with a message that says what to pass instead.
 */
public final class HubFiles {

  /** The default cache folder, relative to the working directory. */
  public static final Path DEFAULT_CACHE = Path.of("data", "hub");

  private static final String BASE = System.getProperty("thinklab.hub", "https://huggingface.co");

  private HubFiles() {}

  /** True for {@code owner/name} ids (one slash, no file extension, not an existing path). */
  public static boolean looksLikeHubId(String s) {
    return s.matches("[A-Za-z0-9][\\w.-]*/[\\w.-]+") && !s.endsWith(".json") && !s.startsWith(".");
  }

  /**
   * The cached {@code tokenizer.json} of a hub id, downloading it and {@code tokenizer_config.json} when missing.
   *
   * @throws IllegalStateException when the hub cannot be reached or has no such file
   */
  public static Path tokenizer(String hubId, Path cacheDir) {
    Path dir = cacheDir.resolve(hubId.replace("/", "--"));
    Path json = dir.resolve("tokenizer.json");
    if (Files.isRegularFile(json)) {
      return json;
    }
    download(hubId, "tokenizer.json", json);
    try {
      download(hubId, "tokenizer_config.json", dir.resolve("tokenizer_config.json"));
    } catch (IllegalStateException e) {
      // optional file: the tokenizer still loads without it
    }
    return json;
  }

  private static void download(String hubId, String file, Path target) {
    URI uri = URI.create(BASE + "/" + hubId + "/resolve/main/" + file);
    try {
      Files.createDirectories(target.getParent());
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL).build();
      Path tmp = Files.createTempFile(target.getParent(), file, ".part");
      try {
        HttpResponse<Path> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).build(),
            HttpResponse.BodyHandlers.ofFile(tmp));
        if (r.statusCode() != 200) {
          throw new IllegalStateException(uri + ": HTTP " + r.statusCode()
              + " (gated, private or no such file); pass a local tokenizer folder instead");
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp); // nothing half-downloaded stays behind
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot download " + uri + " (offline?): "
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
          + "; pass a local tokenizer folder instead, e.g. data/tokenizers/qwen3", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted while downloading " + uri));
    }
  }
}
