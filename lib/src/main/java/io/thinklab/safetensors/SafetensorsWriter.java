package io.thinklab.safetensors;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files, atomically: to a temporary file beside the target, then renamed over it, so a
 * crash mid-write never leaves a half-written checkpoint where a good one was.
 *
 * <p>Tensors are written in name order; the header is padded with spaces to a multiple of 8 bytes (as the
 * reference implementation does) so every tensor starts 8-byte aligned. PEFT and Transformers write
 * {@code {"format": "pt"}} as metadata; pass it to be read back by them the same way.
 */
public final class SafetensorsWriter {
  private SafetensorsWriter() {}

  /**
   * A tensor's bytes as they go to disk.
   *
   * @param name  tensor name
   * @param dtype element type
   * @param shape dimensions
   * @param data  little-endian bytes, {@code numel × dtype.bytes()} long
   */
  public record Tensor(String name, Dtype dtype, long[] shape, byte[] data) {
    public Tensor {
      long numel = Arrays.stream(shape).reduce(1, Math::multiplyExact);
      if (numel * dtype.bytes() != data.length) {
        throw new IllegalArgumentException(name + ": " + data.length + " bytes for shape "
            + Arrays.toString(shape) + " of " + dtype);
      }
    }

    /** Copies a DJL array's values (FLOAT32, FLOAT16, INT64 … as stored). */
    public static Tensor of(String name, NDArray array) {
      ByteBuffer b = array.toByteBuffer().order(ByteOrder.nativeOrder());
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
        throw new IllegalStateException("big-endian machines are not supported");
      }
      return new Tensor(name, Dtype.of(array.getDataType()), array.getShape().getShape(), bytes);
    }
  }

  /** Writes DJL arrays by name, each in its own dtype. */
  public static void write(Path file, Map<String, NDArray> arrays, Map<String, String> metadata) {
    List<Tensor> tensors = new ArrayList<>();
    arrays.forEach((name, a) -> tensors.add(Tensor.of(name, a)));
    writeTensors(file, tensors, metadata);
  }

  /** Writes raw tensors (any safetensors dtype, BF16 included). */
  public static void writeTensors(Path file, List<Tensor> tensors, Map<String, String> metadata) {
    List<Tensor> sorted = new ArrayList<>(tensors);
    sorted.sort(Comparator.comparing(Tensor::name));
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = json.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Tensor t : sorted) {
      ObjectNode e = header.putObject(t.name());
      e.put("dtype", t.dtype().name());
      ArrayNode shape = e.putArray("shape");
      Arrays.stream(t.shape()).forEach(shape::add);
      e.putArray("data_offsets").add(offset).add(offset + t.data().length);
      offset += t.data().length;
    }
    byte[] h;
    try {
      h = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int padded = (h.length + 7) / 8 * 8;
    byte[] headerBytes = Arrays.copyOf(h, padded);
    Arrays.fill(headerBytes, h.length, padded, (byte) ' ');
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(headerBytes);
        for (Tensor t : sorted) {
          out.write(t.data());
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot write safetensors: " + e.getMessage(), e);
    }
  }
}
