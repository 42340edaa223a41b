package io.thinklab.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir
  Path dir;

  /** bf16 bit patterns: random values, ±0, ±inf, a NaN, the smallest subnormal, the largest finite. */
  static short[] bf16Patterns() {
    Random r = new Random(7);
    short[] s = new short[64];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (Float.floatToRawIntBits((float) r.nextGaussian() * 3) >>> 16);
    }
    short[] special = {0x0000, (short) 0x8000, 0x7F80, (short) 0xFF80, 0x7FC1, 0x0001, 0x7F7F};
    System.arraycopy(special, 0, s, 0, special.length);
    return s;
  }

  @Test
  void bf16WidensToFp32BitExactly() {
    short[] bits = bf16Patterns();
    ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short x : bits) {
      b.putShort(x);
    }
    Path f = dir.resolve("bf16.safetensors");
    SafetensorsWriter.writeTensors(f, List.of(new SafetensorsWriter.Tensor("w", Dtype.BF16,
        new long[] {8, 8}, b.array())), Map.of("format", "pt"));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = SafetensorsFile.open(f).load("w", m, DataType.FLOAT32);
      assertEquals(new Shape(8, 8), w.getShape());
      float[] got = w.toFloatArray();
      for (int i = 0; i < bits.length; i++) {
        assertEquals((bits[i] & 0xFFFF) << 16, Float.floatToRawIntBits(got[i]), "element " + i);
      }
      assertEquals(Float.MIN_VALUE * (1 << 16), got[5]); // the smallest bf16 subnormal: 2^-133
      // to fp16 through fp32: values fp16 can hold survive exactly
      NDArray h = SafetensorsFile.open(f).load("w", m, DataType.FLOAT16);
      assertEquals(DataType.FLOAT16, h.getDataType());
      float[] back = h.toType(DataType.FLOAT32, false).toFloatArray();
      for (int i = 7; i < bits.length; i++) {
        assertEquals(got[i], back[i], Math.abs(got[i]) * 1e-3, "element " + i);
      }
    }
  }

  @Test
  void roundTripsArraysAndMetadata() throws IOException {
    Path f = dir.resolve("a.safetensors");
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      arrays.put("z.f32", m.randomNormal(new Shape(3, 5)));
      arrays.put("a.f16", m.randomNormal(new Shape(4, 2)).toType(DataType.FLOAT16, false));
      arrays.put("ids", m.arange(0, 6, 1, DataType.INT64).reshape(2, 3));
      arrays.put("scalar", m.create(2.5f));
      SafetensorsWriter.write(f, arrays, Map.of("format", "pt"));
      SafetensorsFile file = SafetensorsFile.open(f);
      assertEquals(List.of("a.f16", "ids", "scalar", "z.f32"), file.names());
      assertEquals(Map.of("format", "pt"), file.metadata());
      assertEquals(Dtype.F16, file.info("a.f16").dtype());
      for (var e : arrays.entrySet()) {
        NDArray back = file.load(e.getKey(), m, e.getValue().getDataType());
        assertEquals(e.getValue().getShape(), back.getShape(), e.getKey());
        assertArrayEquals(e.getValue().toByteArray(), back.toByteArray(), e.getKey());
      }
      // f16 on disk loads as fp32 exactly; f32 on disk loads as fp16
      assertArrayEquals(arrays.get("a.f16").toType(DataType.FLOAT32, false).toFloatArray(),
          file.load("a.f16", m, DataType.FLOAT32).toFloatArray());
      assertEquals(DataType.FLOAT16, file.load("z.f32", m, DataType.FLOAT16).getDataType());
    }
    long headerLength = headerLength(f);
    assertEquals(0, headerLength % 8, "header padded to 8 bytes");
  }

  @Test
  void readsShardedCheckpoints() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.randomNormal(new Shape(2, 3));
      NDArray b = m.randomNormal(new Shape(4));
      SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), Map.of("a", a), Map.of());
      SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), Map.of("b", b), Map.of());
      Files.writeString(dir.resolve(Checkpoint.INDEX), """
          {"metadata": {"total_size": 40}, "weight_map": {"a": "model-00001-of-00002.safetensors",
           "b": "model-00002-of-00002.safetensors"}}""");
      Checkpoint c = Checkpoint.open(dir);
      assertEquals(List.of("a", "b"), c.names());
      assertArrayEquals(a.toFloatArray(), c.load("a", m, DataType.FLOAT32).toFloatArray());
      assertArrayEquals(b.toFloatArray(), c.load("b", m, DataType.FLOAT32).toFloatArray());
      assertThrows(IllegalArgumentException.class, () -> c.load("missing", m, DataType.FLOAT32));

      Files.writeString(dir.resolve(Checkpoint.INDEX), """
          {"weight_map": {"a": "model-00002-of-00002.safetensors"}}""");
      var e = assertThrows(SafetensorsException.class, () -> Checkpoint.open(dir));
      assertTrue(e.getMessage().contains("holds 'a' but it does not"), e.getMessage());
    }
  }

  @Test
  void mapsTensorsBeyondTwoGibibytes() throws IOException {
    // A sparse file: 2.5 GB of U8 padding (never written, so it costs no disk), then a small F32 tensor.
    long pad = 2_500_000_000L;
    String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + pad + "],\"data_offsets\":[0," + pad + "]},"
        + "\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[" + pad + "," + (pad + 12) + "]}}";
    Path f = dir.resolve("big.safetensors");
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
      raf.write(h);
      raf.seek(8 + h.length + pad);
      raf.write(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).putFloat(3.25f)
          .array());
    }
    try (NDManager m = NDManager.newBaseManager()) {
      assertArrayEquals(new float[] {1.5f, -2f, 3.25f},
          SafetensorsFile.open(f).load("w", m, DataType.FLOAT32).toFloatArray());
    }
  }

  // ---- malformed files: an exception naming the file and the problem, never a crash ----

  private Path valid() {
    Path f = dir.resolve("ok.safetensors");
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 4; i++) {
      b.putFloat(i);
    }
    SafetensorsWriter.writeTensors(f, List.of(new SafetensorsWriter.Tensor("w", Dtype.F32, new long[] {2, 2},
        b.array())), Map.of());
    return f;
  }

  private static long headerLength(Path f) throws IOException {
    return ByteBuffer.wrap(Arrays.copyOf(Files.readAllBytes(f), 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private Path withHeader(String json, int dataBytes) throws IOException {
    Path f = dir.resolve("bad.safetensors");
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    Files.write(f, b.array());
    return f;
  }

  private static void assertMalformed(Path f, String problem) {
    var e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(f));
    assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Test
  void rejectsTruncatedFiles() throws IOException {
    Path ok = valid();
    byte[] all = Files.readAllBytes(ok);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(all, all.length - 4));
    assertMalformed(cut, "run past the end of the data");
    Files.write(cut, Arrays.copyOf(all, 20));
    assertMalformed(cut, "runs past the end of the file");
    Files.write(cut, Arrays.copyOf(all, 5));
    assertMalformed(cut, "shorter than the 8-byte header length");
  }

  @Test
  void rejectsAbsurdHeaderLengths() throws IOException {
    Path f = dir.resolve("absurd.safetensors");
    Files.write(f, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
    assertMalformed(f, "header length 1099511627776 is outside");
    Files.write(f, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array());
    assertMalformed(f, "header length 18446744073709551615 is outside");
  }

  @Test
  void rejectsBadEntries() throws IOException {
    assertMalformed(withHeader("{\"w\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
        "unknown dtype 'Q7'");
    assertMalformed(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,80]}}", 8),
        "run past the end of the data");
    assertMalformed(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
        "needs 12");
    assertMalformed(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "overlap");
    assertMalformed(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "hole");
    assertMalformed(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8),
        "bad data_offsets");
    assertMalformed(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
        "bad dimension");
    assertMalformed(withHeader("{\"w\": [1, 2", 0), "not valid JSON");
    assertMalformed(withHeader("[1, 2]", 0), "not a JSON object");
  }
}
