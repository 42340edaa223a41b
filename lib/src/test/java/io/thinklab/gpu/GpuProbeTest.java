package io.thinklab.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.cli.ThinkLab;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The real probe on the machine the tests run on. CI has no GPU, so the no-GPU path is what is checked
 * there; on a GPU machine the same tests check the device fields instead.
 */
class GpuProbeTest {

  @Test
  void probeNeverThrowsAndIsConsistent() {
    GpuReport r = GpuProbe.probe(false);
    if (r.hasGpu()) {
      assertNull(r.reason());
      assertNotNull(r.driverVersion());
      for (GpuDevice d : r.devices()) {
        assertFalse(d.name().isBlank());
        assertTrue(d.totalMemoryBytes() > 0);
        assertTrue(d.computeCapability().matches("\\d+\\.\\d+"), d.computeCapability());
      }
    } else {
      assertTrue(r.devices().isEmpty());
      assertNotNull(r.reason());
      assertFalse(r.reason().isBlank());
      assertFalse(r.reason().contains("\n"), "one line: " + r.reason());
      assertTrue(r.reason().length() < 600, "short: " + r.reason());
    }
  }

  @Test
  void secondProbeReportsTheSameReason() {
    // After a failed static initialiser the JVM answers NoClassDefFoundError; the report must not change.
    GpuReport first = GpuProbe.probe(false);
    GpuReport second = GpuProbe.probe(false);
    assertEquals(first.hasGpu(), second.hasGpu());
    assertEquals(first.reason(), second.reason());
  }

  @Test
  void cliJsonExitsZeroWithTheDocumentedShape() throws Exception {
    StringWriter sw = new StringWriter();
    CommandLine cl = ThinkLab.commandLine();
    cl.setOut(new PrintWriter(sw));
    int code = cl.execute("gpu", "--json", "--no-djl");
    assertEquals(0, code);
    JsonNode j = new ObjectMapper().readTree(sw.toString());
    assertTrue(j.get("devices").isArray());
    assertEquals(j.get("gpu").asBoolean(), j.get("devices").size() > 0);
    assertEquals(j.get("gpu").asBoolean(), j.get("reason").isNull());
    assertTrue(j.has("driver_version"));
    assertEquals("not probed", j.get("djl").get("error").asText());
  }

  @Test
  void djlSeesTheCpuEngineHere() {
    // Tests run with pytorch-native-cpu and ai.djl.offline=true: the engine must load from the classpath.
    DjlView djl = GpuProbe.probeDjl();
    assertTrue(djl.loaded(), djl.error());
    assertEquals("PyTorch", djl.engine());
    if (djl.gpuCount() == 0) {
      assertEquals("cpu()", djl.defaultDevice());
    }
    assertTrue(djl.smoke().contains("sums to 262144"), djl.smoke());
  }
}
