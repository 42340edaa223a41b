package io.thinklab.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One safetensors file, memory-mapped and validated, whose tensors load as DJL arrays in the run's dtype.
 *
 * <p>Opening reads and checks only the header; each tensor is mapped from the file when it is loaded, so
 * files over 2 GiB work and nothing is read twice. Loading converts on the way: BF16 becomes FP32 by
 * shifting its 16 bits to the top of a float (bf16 <em>is</em> the upper half of fp32, so this is exact),
 * then FP16 if asked; F16 and F32 convert through the engine. Use {@link Checkpoint} for a model folder.
 *
 * <pre>{@code
 * try (NDManager m = NDManager.newBaseManager()) {
 *   SafetensorsFile f = SafetensorsFile.open(Path.of("model.safetensors"));
 *   NDArray w = f.load("model.embed_tokens.weight", m, DataType.FLOAT32);
 * }
 * }</pre>
 */
public final class SafetensorsFile {

  /** The safetensors library refuses headers above 100 MB; a larger length means a corrupt or foreign file. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final long dataStart;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;

  private SafetensorsFile(Path path, long dataStart, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
    this.path = path;
    this.dataStart = dataStart;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /**
   * Opens a file and validates its header: the length is sane, the JSON is an object of tensor entries with
   * known dtypes, every tensor's bytes lie inside the file and match shape × dtype width, and the entries
   * tile the data section without overlaps or holes.
   *
   * @throws SafetensorsException naming the file and the problem, when the file is malformed
   */
  public static SafetensorsFile open(Path path) {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new SafetensorsException(path, "file is " + size + " bytes, shorter than the 8-byte header length");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long n = lenBuf.getLong(0);
      if (n < 2 || n > MAX_HEADER_BYTES) {
        throw new SafetensorsException(path, "header length " + Long.toUnsignedString(n)
            + " is outside [2, " + MAX_HEADER_BYTES + "] bytes (not a safetensors file, or corrupt)");
      }
      if (8 + n > size) {
        throw new SafetensorsException(path, "header length " + n + " runs past the end of the file ("
            + size + " bytes): truncated?");
      }
      ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
      readFully(ch, headerBuf, 8);
      String header = new String(headerBuf.array(), StandardCharsets.UTF_8);
      return parseHeader(path, header, 8 + n, size - 8 - n);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot read safetensors file: " + e.getMessage(), e);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    while (buf.hasRemaining()) {
      int r = ch.read(buf, position + buf.position());
      if (r < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  private static SafetensorsFile parseHeader(Path path, String header, long dataStart, long dataLength) {
    JsonNode root;
    try {
      root = JSON.readTree(header);
    } catch (IOException e) {
      throw new SafetensorsException(path, "header is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new SafetensorsException(path, "header is not a JSON object");
    }
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      tensors.put(e.getKey(), entry(path, e.getKey(), e.getValue(), dataLength));
    }
    checkTiling(path, tensors.values(), dataLength);
    return new SafetensorsFile(path, dataStart, Collections.unmodifiableMap(tensors),
        Collections.unmodifiableMap(metadata));
  }

  private static TensorInfo entry(Path path, String name, JsonNode v, long dataLength) {
    String where = "tensor '" + name + "'";
    if (!v.isObject()) {
      throw new SafetensorsException(path, where + ": entry is not an object");
    }
    Dtype dtype = Dtype.parse(v.path("dtype").asText(""));
    if (dtype == null) {
      throw new SafetensorsException(path, where + ": unknown dtype '" + v.path("dtype").asText("") + "'");
    }
    JsonNode shapeNode = v.path("shape");
    JsonNode offsets = v.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new SafetensorsException(path, where + ": needs a 'shape' array and 'data_offsets' [begin, end]");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      if (!shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 0) {
        throw new SafetensorsException(path, where + ": bad dimension " + shapeNode.get(i));
      }
      shape[i] = shapeNode.get(i).asLong();
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    if (!offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong() || begin < 0 || end < begin) {
      throw new SafetensorsException(path, where + ": bad data_offsets " + offsets);
    }
    if (end > dataLength) {
      throw new SafetensorsException(path, where + ": data_offsets " + offsets + " run past the end of the data ("
          + dataLength + " bytes): truncated?");
    }
    TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
    long expected;
    try {
      expected = Math.multiplyExact(info.numel(), dtype.bytes());
    } catch (ArithmeticException overflow) {
      throw new SafetensorsException(path, where + ": shape overflows 64 bits");
    }
    if (expected != end - begin) {
      throw new SafetensorsException(path, where + ": " + (end - begin) + " bytes on disk but shape "
          + java.util.Arrays.toString(shape) + " of " + dtype + " needs " + expected);
    }
    return info;
  }

  /** The tensors must cover the data section exactly once: overlaps or holes mean a corrupt file. */
  private static void checkTiling(Path path, Iterable<TensorInfo> infos, long dataLength) {
    List<TensorInfo> sorted = new ArrayList<>();
    infos.forEach(sorted::add);
    sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    long at = 0;
    for (TensorInfo t : sorted) {
      if (t.begin() != at) {
        throw new SafetensorsException(path, "tensor '" + t.name() + "' starts at byte " + t.begin()
            + (t.begin() < at ? " inside the previous tensor (overlap)" : " leaving a hole after byte " + at));
      }
      at = t.end();
    }
    if (at != dataLength) {
      throw new SafetensorsException(path, "tensors cover " + at + " of " + dataLength + " data bytes");
    }
  }

  /** The file this was opened from. */
  public Path path() {
    return path;
  }

  /** Tensor names in header order. */
  public List<String> names() {
    return List.copyOf(tensors.keySet());
  }

  /** Header entries by name, in header order. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  /** The header's {@code __metadata__} (e.g. {@code {"format": "pt"}}); empty when absent. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** One header entry; throws when the name is absent. */
  public TensorInfo info(String name) {
    TensorInfo t = tensors.get(name);
    if (t == null) {
      throw new SafetensorsException(path, "no tensor named '" + name + "'");
    }
    return t;
  }

  /**
   * The raw little-endian bytes of one tensor, mapped read-only from the file (no copy).
   *
   * @throws SafetensorsException when the tensor is over 2 GiB (a Java buffer limit; split the checkpoint)
   */
  public ByteBuffer bytes(String name) {
    TensorInfo t = info(name);
    if (t.byteLength() > Integer.MAX_VALUE) {
      throw new SafetensorsException(path, "tensor '" + name + "' is " + t.byteLength()
          + " bytes; one tensor over 2 GiB cannot be mapped into a Java buffer");
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      if (dataStart + t.end() > ch.size()) {
        throw new SafetensorsException(path, "file shrank since it was opened");
      }
      // A mapping outlives its channel; the OS pages it in as the copy below touches it.
      return ch.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), t.byteLength())
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot map tensor '" + name + "': " + e.getMessage(), e);
    }
  }

  /**
   * Loads one tensor into {@code manager} as {@code target} (FLOAT32, FLOAT16 or BFLOAT16 for float tensors; INT64
   * or INT32 tensors load as they are). Conversions: BF16→FP32 exact (bit shift, in Java); F16→FP32 exact;
   * F32/BF16→FP16 round to nearest even (in the engine).
   */
  public NDArray load(String name, NDManager manager, DataType target) {
    TensorInfo t = info(name);
    Shape shape = new Shape(t.shape());
    ByteBuffer src = bytes(name);
    switch (t.dtype()) {
      case F32, F16, I64, I32 -> {
        DataType stored = switch (t.dtype()) {
          case F32 -> DataType.FLOAT32;
          case F16 -> DataType.FLOAT16;
          case I64 -> DataType.INT64;
          default -> DataType.INT32;
        };
        NDArray a = manager.create(copyDirect(src), shape, stored);
        return convert(a, target, t);
      }
      case BF16 -> {
        NDArray a = manager.create(bf16ToFp32(src), shape, DataType.FLOAT32);
        return convert(a, target, t);
      }
      default -> throw new SafetensorsException(path, "tensor '" + name + "' has dtype " + t.dtype()
          + "; ThinkLab loads F32, F16, BF16, I64 and I32");
    }
  }

  private NDArray convert(NDArray a, DataType target, TensorInfo t) {
    if (a.getDataType() == target) {
      return a;
    }
    boolean floats = a.getDataType().isFloating() && (target == DataType.FLOAT32 || target == DataType.FLOAT16
        || target == DataType.BFLOAT16);
    if (!floats) {
      a.close();
      throw new SafetensorsException(path, "cannot load " + t.dtype() + " tensor '" + t.name() + "' as " + target);
    }
    NDArray converted = a.toType(target, false);
    a.close();
    return converted;
  }

  /**
   * A native-order direct copy. Needed: DJL wraps a direct buffer without copying it (the array would alias
   * the read-only mapping and crash on an in-place update).
   */
  private static ByteBuffer copyDirect(ByteBuffer src) {
    ByteBuffer dst = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
    dst.put(src.duplicate());
    return dst.flip();
  }

  /**
   * Widens little-endian bf16 to native-order fp32: bf16 keeps fp32's sign, 8 exponent bits and top 7
   * mantissa bits, so {@code fp32bits = bf16bits << 16} is exact (NaN and infinities included).
   */
  public static ByteBuffer bf16ToFp32(ByteBuffer src) {
    ByteBuffer in = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int n = in.remaining() / 2;
    if (n * 4L > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("bf16 tensor of " + n + " elements is over 2 GiB as fp32");
    }
    ByteBuffer dst = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
    for (int i = 0; i < n; i++) {
      dst.putInt(i * 4, (in.getShort(in.position() + i * 2) & 0xFFFF) << 16);
    }
    return dst;
  }
}
