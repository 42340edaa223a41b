package io.thinklab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DJL's PyTorch engine with the extension's bf16 ({@link NativeOps#requireBf16}): the dtype is reported, every
 * rebound method makes or takes bf16, values round as bfloat16 does (8 bits of mantissa, fp32's exponent), and the
 * other dtypes still run DJL's own code (same dtypes, same values). Skipped or failed as {@link NativeOpsTest} says.
 */
class DjlBf16Test {

  @BeforeAll
  static void load() {
    NativeOpsTest.requireLibrary();
    NativeOps.requireBf16();
  }

  @Test
  void bf16ArraysAreMadeReportedAndRounded() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      // 1 + 2⁻⁸ is not a bf16 (7 stored mantissa bits): it rounds to even, 1; 1 + 2⁻⁷ is one
      float[] v = {1f + 1f / 256, 1f + 1f / 128, 3.0e38f, -1.5e-30f, 0.1f};
      NDArray x = m.create(v).toType(DataType.BFLOAT16, false);
      assertEquals(DataType.BFLOAT16, x.getDataType());
      float[] back = x.toType(DataType.FLOAT32, false).toFloatArray();
      float[] want = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        want[i] = bf16(v[i]);
      }
      assertArrayEquals(want, back, 0f);
      assertEquals(1f, back[0], 0f);
      assertTrue(Float.isFinite(back[2]), "fp32's range (fp16 would give inf)");

      NDArray z = m.zeros(new Shape(2, 3), DataType.BFLOAT16);
      NDArray o = m.ones(new Shape(2, 3), DataType.BFLOAT16);
      NDArray f = m.full(new Shape(2, 3), 2.5f, DataType.BFLOAT16);
      NDArray e = m.create(new Shape(4), DataType.BFLOAT16);
      for (NDArray a : new NDArray[] {z, o, f, e, z.zerosLike(), o.onesLike()}) {
        assertEquals(DataType.BFLOAT16, a.getDataType());
      }
      float sum = z.add(o).add(f).sum().toType(DataType.FLOAT32, false).getFloat();
      assertEquals(6 * 3.5f, sum, 0f);

      NDArray logits = m.create(new float[] {0.1f, 2f, -1f, 0.5f}, new Shape(1, 4));
      float[] exact = logits.softmax(-1).toFloatArray();
      NDArray p = logits.toType(DataType.BFLOAT16, false).softmax(-1);
      assertEquals(DataType.BFLOAT16, p.getDataType());
      assertArrayEquals(exact, p.toType(DataType.FLOAT32, false).toFloatArray(), 4e-3f);
      NDArray lp = logits.toType(DataType.BFLOAT16, false).logSoftmax(-1);
      assertEquals(DataType.BFLOAT16, lp.getDataType());
      assertArrayEquals(logits.logSoftmax(-1).toFloatArray(), lp.toType(DataType.FLOAT32, false).toFloatArray(),
          2e-2f);
    }
  }

  @Test
  void cumProdToBf16AndLikesOfATransposedArray() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray p = m.create(new float[] {1.5f, 3f, 1f / 3}).cumProd(0, DataType.BFLOAT16);
      assertEquals(DataType.BFLOAT16, p.getDataType());
      assertArrayEquals(new float[] {1.5f, 4.5f, bf16(1.5f)}, p.toType(DataType.FLOAT32, false).toFloatArray(),
          1e-2f);
      NDArray t = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)).toType(DataType.BFLOAT16, false)
          .transpose();
      NDArray z = t.zerosLike();
      NDArray o = t.onesLike();
      assertEquals(new Shape(3, 2), z.getShape());
      assertEquals(DataType.BFLOAT16, o.getDataType());
      assertEquals(0f, z.toType(DataType.FLOAT32, false).sum().getFloat(), 0f);
      assertEquals(6f, o.toType(DataType.FLOAT32, false).sum().getFloat(), 0f);
    }
  }

  @Test
  void aBf16ModelSavesAndLoadsItsExactValues(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.BFLOAT16, Device.cpu(), 3)) {
      model.save(dir.resolve("model.safetensors"));
      java.nio.file.Files.writeString(dir.resolve("config.json"), Tiny.CONFIG_JSON);
      try (LlamaModel back = LlamaModel.load(dir, DataType.FLOAT32, Device.cpu())) {
        for (var e : model.weights().entrySet()) {
          float[] want = e.getValue().toType(DataType.FLOAT32, false).toFloatArray();
          assertArrayEquals(want, back.weights().get(e.getKey()).toFloatArray(), 0f, e.getKey());
        }
      }
    }
  }

  /** bfloat16's rounding of an fp32 (to nearest, ties to even): the top 16 bits of its pattern. */
  static float bf16(float f) {
    int bits = Float.floatToIntBits(f);
    bits += 0x7FFF + ((bits >> 16) & 1);
    return Float.intBitsToFloat(bits & 0xFFFF0000);
  }

  @Test
  void otherDtypesStillRunDjlsCode() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray x = m.create(new float[] {1f + 1f / 2048, -2.5f, 65519f});
      assertEquals(DataType.FLOAT32, x.getDataType());
      NDArray h = x.toType(DataType.FLOAT16, false);
      assertEquals(DataType.FLOAT16, h.getDataType());
      assertArrayEquals(new float[] {1f, -2.5f, 65504f}, h.toType(DataType.FLOAT32, false).toFloatArray(), 0f);
      assertEquals(DataType.INT64, m.zeros(new Shape(2), DataType.INT64).getDataType());
      assertEquals(DataType.FLOAT16, m.full(new Shape(2), 1f, DataType.FLOAT16).getDataType());
      assertEquals(DataType.FLOAT32, m.ones(new Shape(2), DataType.FLOAT32).onesLike().getDataType());
      assertEquals(DataType.BOOLEAN, x.gt(0).getDataType());
      assertArrayEquals(new float[] {1f, 4f, 24f}, m.create(new float[] {1, 4, 6}).cumProd(0).toFloatArray(), 0f);
    }
  }

  @Test
  void aDifferentiableCastToBf16AndBack() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray w = m.create(new float[] {0.5f, -3f, 7f});
      w.setRequiresGradient(true);
      try (Autograd.Recording gc = Autograd.record()) {
        NDArray y = Ops.cast(Ops.cast(w, DataType.BFLOAT16).square(), DataType.FLOAT32);
        gc.backward(y.sum());
      }
      assertArrayEquals(new float[] {1f, -6f, 14f}, w.getGradient().toFloatArray(), 0f);
    }
  }
}
