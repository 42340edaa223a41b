package io.thinklab.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LabTest {

  @Test
  void aFailedCheckSaysWhatFailedAndWhatToDo() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Lab.check("loss fell", false, "train longer"));
    assertEquals("CHECK FAILED: loss fell\n  what to do: train longer", e.getMessage());
    Lab.check("passes quietly but for its line", true, "never shown");
  }

  @Test
  void freshDirEmptiesOnlyBuildOrRunsFolders() throws Exception {
    Path d = Lab.freshDir("build/test-lab/fresh");
    Files.writeString(d.resolve("old.txt"), "from an earlier run");
    Path again = Lab.freshDir("build/test-lab/fresh");
    assertEquals(d, again);
    assertTrue(Files.isDirectory(again));
    assertFalse(Files.exists(again.resolve("old.txt")));
    assertThrows(IllegalArgumentException.class, () -> Lab.freshDir("data/samples"));
    assertThrows(IllegalArgumentException.class, () -> Lab.freshDir("build/../data"));
  }
}
