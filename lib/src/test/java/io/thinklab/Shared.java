package io.thinklab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference data beside the checkout ({@code ../shared/reference}): real configs and the seed's measured
 * figures. Users do not have it, so tests that read it skip cleanly when it is absent.
 */
public final class Shared {
  private Shared() {}

  /** A file under {@code shared/reference}, or skips the calling test when it is not there. */
  public static Path reference(String relative) {
    String root = System.getProperty("thinklab.shared", "../../shared");
    Path p = Path.of(root, "reference", relative);
    if (!Files.exists(p)) {
      p = Path.of("..", "..", "shared", "reference", relative);
    }
    assumeTrue(Files.exists(p), "reference data absent (" + p + "): skipped");
    return p;
  }
}
