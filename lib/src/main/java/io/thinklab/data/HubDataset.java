package io.thinklab.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Resolves a Hugging Face dataset id (e.g. {@code crownelius/Opus-4.6-Reasoning-3300x}) to local files,
 * downloading them over HTTP into a git-ignored cache ({@code data/hub/owner/name/}).
 *
 * <p>How: the hub's dataset API ({@code /api/datasets/{id}}) lists the repository's files; the data files
 * ({@code .jsonl}, {@code .jsonl.gz}, {@code .parquet}) are kept, only those whose path mentions {@code train}
 * when some do; when the repository has none, the hub's automatic Parquet conversion of the {@code default}
 * config's {@code train} split is used ({@code /api/datasets/{id}/parquet/default/train}). Each file is fetched
 * from {@code /datasets/{id}/resolve/main/{path}}. A finished download writes {@code files.txt}; later loads
 * use the cache and need no network.
 *
 * <p>Settings: the endpoint is {@code https://huggingface.co}, or the {@code HF_ENDPOINT} environment
 * variable, or {@link #endpoint(String)}; the cache is {@code data/hub} or the {@code thinklab.hub.cache}
 * system property; a token in {@code HF_TOKEN} is sent for gated datasets. Offline, the error names the id,
 * the URL and the network failure.
 */
public final class HubDataset {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private String endpoint = defaultEndpoint();
  private Path cache = Path.of(System.getProperty("thinklab.hub.cache", "data/hub"));
  private Duration timeout = Duration.ofSeconds(20);

  private HubDataset(String id) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("'" + id + "' is not a Hugging Face dataset id (owner/name)");
    }
    this.id = id;
  }

  /** A dataset on the hub by its id, {@code owner/name}. */
  public static HubDataset of(String id) {
    return new HubDataset(id);
  }

  /** Another hub (a mirror, or a local test server). */
  public HubDataset endpoint(String url) {
    this.endpoint = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return this;
  }

  /** Where downloads go; {@code data/hub} by default. */
  public HubDataset cache(Path dir) {
    this.cache = dir;
    return this;
  }

  /** Connect and request timeout. */
  public HubDataset timeout(Duration t) {
    this.timeout = t;
    return this;
  }

  public String id() {
    return id;
  }

  /** The folder that holds this dataset's downloaded files. */
  public Path folder() {
    return cache.resolve(id);
  }

  /** The local data files, downloading them first unless a complete download is cached. */
  public List<Path> files() {
    Path manifest = folder().resolve("files.txt");
    try {
      if (Files.exists(manifest)) {
        List<Path> out = new ArrayList<>();
        for (String f : Files.readAllLines(manifest)) {
          out.add(folder().resolve(f));
        }
        return out;
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(timeout)
          .followRedirects(HttpClient.Redirect.NORMAL).build();
      List<String> urls = listDataFiles(http);
      List<String> names = new ArrayList<>();
      List<Path> out = new ArrayList<>();
      for (int i = 0; i < urls.size(); i++) {
        String name = localName(urls.get(i), i);
        if (name.startsWith("/") || List.of(name.split("/")).contains("..")) {
          throw new IOException("Hugging Face dataset '" + id + "': refusing file name '" + name + "'");
        }
        Path target = folder().resolve(name);
        download(http, urls.get(i), target);
        names.add(name);
        out.add(target);
      }
      Files.write(manifest, names);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  private List<String> listDataFiles(HttpClient http) throws IOException {
    JsonNode info = getJson(http, endpoint + "/api/datasets/" + id);
    List<String> data = new ArrayList<>();
    for (JsonNode s : info.path("siblings")) {
      String f = s.path("rfilename").asText();
      if (f.endsWith(".jsonl") || f.endsWith(".jsonl.gz") || f.endsWith(".parquet")) {
        data.add(f);
      }
    }
    List<String> train = data.stream().filter(f -> f.toLowerCase().contains("train")).toList();
    List<String> chosen = train.isEmpty() ? data : train;
    List<String> urls = new ArrayList<>();
    for (String f : chosen) {
      urls.add(endpoint + "/datasets/" + id + "/resolve/main/" + encodePath(f));
    }
    if (urls.isEmpty()) {
      for (JsonNode u : getJson(http, endpoint + "/api/datasets/" + id + "/parquet/default/train")) {
        urls.add(u.asText());
      }
    }
    if (urls.isEmpty()) {
      throw new IOException("Hugging Face dataset '" + id + "' has no .jsonl, .jsonl.gz or .parquet files and no "
          + "Parquet conversion of its train split");
    }
    return urls;
  }

  private JsonNode getJson(HttpClient http, String url) throws IOException {
    HttpResponse<String> r = send(http, url, HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private void download(HttpClient http, String url, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path part = target.resolveSibling(target.getFileName() + ".part");
    send(http, url, HttpResponse.BodyHandlers.ofFile(part));
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
  }

  private <T> HttpResponse<T> send(HttpClient http, String url, HttpResponse.BodyHandler<T> body) throws IOException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
    String token = System.getenv("HF_TOKEN");
    if (token != null && !token.isBlank()) {
      req.header("Authorization", "Bearer " + token);
    }
    HttpResponse<T> r;
    try {
      r = http.send(req.build(), body);
    } catch (IOException e) {
      throw new IOException("cannot fetch Hugging Face dataset '" + id + "' from " + url + ": "
          + describe(e) + " (offline? download the files and pass their path instead)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching Hugging Face dataset '" + id + "' from " + url, e);
    }
    if (r.statusCode() != 200) {
      String hint = r.statusCode() == 401 || r.statusCode() == 403 ? " (gated or private: set HF_TOKEN)"
          : r.statusCode() == 404 ? " (no such dataset or file)" : "";
      throw new IOException("cannot fetch Hugging Face dataset '" + id + "' from " + url + ": HTTP "
          + r.statusCode() + hint);
    }
    return r;
  }

  /** The exception chain in one line, e.g. {@code ConnectException ← UnresolvedAddressException}. */
  private static String describe(IOException e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
      String m = t.getMessage();
      boolean useful = m != null && !m.isBlank() && !m.startsWith("java.");
      String part = t.getClass().getSimpleName() + (useful ? ": " + m : "");
      if (parts.isEmpty() || !parts.get(parts.size() - 1).equals(part)) {
        parts.add(part);
      }
    }
    return String.join(" ← ", parts);
  }

  /** Resolve URLs keep the repository path; conversion URLs are numbered. */
  private String localName(String url, int i) {
    String marker = "/resolve/main/";
    int at = url.indexOf(marker);
    if (at >= 0) {
      return java.net.URLDecoder.decode(url.substring(at + marker.length()), StandardCharsets.UTF_8);
    }
    return String.format("train-%05d.parquet", i);
  }

  private static String encodePath(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      parts.add(URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return String.join("/", parts);
  }

  private static String defaultEndpoint() {
    String env = System.getenv("HF_ENDPOINT");
    return env == null || env.isBlank() ? "https://huggingface.co" : env.replaceAll("/+$", "");
  }

  @Override
  public String toString() {
    return "hf:" + id;
  }
}
