package io.thinklab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.lora.LoraConfig;
import io.thinklab.model.LlamaModel;
import io.thinklab.model.Tiny;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  @TempDir
  Path dir;

  static final List<String> ALL = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
      "down_proj");

  /**
   * A learnable toy task: prompt = 1 (bos), 3–8 random tokens, 5 (separator); completion = the same tokens
   * reversed, then 2 (eos). Only the completion is trained.
   */
  static List<Sequence> reversal(int n, long seed) {
    Random r = new Random(seed);
    List<Sequence> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = 3 + r.nextInt(6);
      long[] ids = new long[2 * k + 3];
      ids[0] = 1;
      for (int j = 0; j < k; j++) {
        ids[1 + j] = 10 + r.nextInt(40);
        ids[2 * k + 1 - j] = ids[1 + j];
      }
      ids[k + 1] = 5;
      ids[2 * k + 2] = 2;
      out.add(Sequence.completionOnly("r" + i, ids, k + 2));
    }
    return out;
  }

  /**
   * The tiny model with weights ×10 (std 0.2): a stand-in for a pre-trained base. At the 0.02 init the LM head
   * is so small that logits cannot leave uniform, and an adapter on the blocks alone could not lower the loss.
   */
  static LlamaModel model(DataType dtype) {
    LlamaModel m = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1);
    if (dtype == DataType.FLOAT32) {
      m.weights().values().stream().filter(w -> !w.getName().endsWith("norm.weight")).forEach(w -> w.muli(10));
      return m;
    }
    try (m) { // the same weights, narrowed to fp16 through a saved checkpoint
      m.weights().values().stream().filter(w -> !w.getName().endsWith("norm.weight")).forEach(w -> w.muli(10));
      Path d = FP16_DIR.get();
      m.save(d.resolve("model.safetensors"));
      java.nio.file.Files.writeString(d.resolve("config.json"), Tiny.CONFIG_JSON);
      return LlamaModel.load(d, dtype, Device.cpu());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static final ThreadLocal<Path> FP16_DIR = new ThreadLocal<>();

  static LoraAdapter adapter(double dropout) {
    return LoraAdapter.init(Tiny.config(), new LoraConfig(8, 16, dropout, ALL, false, "tiny"), Device.cpu(), 2);
  }

  static TrainConfig cfg() {
    return TrainConfig.builder().batch(4, 1).epochs(8).maxSteps(30).lr(2e-2).warmupRatio(0.1).seed(7).checkpoints(0, 2)
        .build();
  }

  static List<JsonNode> metrics(Path out) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> m = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      m.add(json.readTree(line));
    }
    return m;
  }

  @Test
  void lossFallsAndTheRunIsWritten() throws Exception {
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.05)) {
      List<StepReport> steps = Trainer.lora(model, ad, reversal(16, 1), cfg(), dir).quiet().run(false);
      assertEquals(30, steps.size());
      for (NDArray p : ad.parameters()) { // each step leaves .grad zeroed for the next one to accumulate into
        NDArray g = p.getGradient();
        assertEquals(0f, g.abs().sum().getFloat(), p.getName());
        g.close();
      }
      double first = steps.get(0).loss();
      double last = steps.get(steps.size() - 1).loss();
      assertTrue(last < first - 1.0, "loss " + first + " -> " + last);
      List<JsonNode> m = metrics(dir);
      assertEquals(30, m.size());
      for (String key : List.of("step", "epoch", "loss", "lr", "grad_norm", "tokens", "tokens_per_s")) {
        assertTrue(m.get(5).has(key), key);
      }
      assertEquals(0.0, m.get(0).get("lr").asDouble(), "warmup starts at 0 (Transformers' schedule)");
      assertTrue(Files.exists(dir.resolve("adapter/adapter_config.json")));
      assertTrue(Files.exists(dir.resolve("adapter/adapter_model.safetensors")));
      assertTrue(Files.exists(dir.resolve("checkpoints/step-000030/state.json")));
      // a second run into the same folder without --resume is refused
      assertThrows(IllegalArgumentException.class, () -> Trainer.lora(model, ad, reversal(16, 1), cfg(), dir).quiet()
          .run(false));
    }
  }

  @Test
  void accumulationIsNormalisedByTrainedTokensAcrossMicroBatches() {
    // four examples with very different completion lengths: 2 × 2 must equal 4 × 1 exactly in expectation
    List<Sequence> data = reversal(4, 3);
    List<StepReport> results = new ArrayList<>();
    List<float[]> after = new ArrayList<>();
    int[][] splits = {{4, 1}, {2, 2}, {1, 4}};
    for (int[] s : splits) {
      try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0)) {
        Random r = new Random(11);
        for (NDArray p : ad.parameters()) { // a non-zero B so that A gets gradients too
          if (p.getName().endsWith("lora_B.weight")) {
            float[] v = new float[(int) p.getShape().size()];
            for (int i = 0; i < v.length; i++) {
              v[i] = (float) (r.nextGaussian() * 0.05);
            }
            p.set(v);
          }
        }
        TrainConfig c = cfg().withBatching(s[0], s[1]).withMaxSteps(1);
        results.add(Trainer.lora(model, ad, data, c, dir.resolve(s[0] + "x" + s[1])).quiet().run(false).get(0));
        after.add(ad.parameters().get(0).toFloatArray());
      }
    }
    for (int i = 1; i < splits.length; i++) {
      assertEquals(results.get(0).tokens(), results.get(i).tokens());
      assertEquals(results.get(0).loss(), results.get(i).loss(), 1e-5);
      assertEquals(results.get(0).gradNorm(), results.get(i).gradNorm(), 1e-5 * results.get(0).gradNorm());
      assertArrayEquals(after.get(0), after.get(i), 1e-6f);
    }
  }

  @Test
  void resumeAfterACrashReproducesTheUninterruptedRun() throws Exception {
    TrainConfig c = cfg().withMaxSteps(8).withCheckpointEvery(3);
    Path straight = dir.resolve("straight");
    Path crashed = dir.resolve("crashed");
    float[] straightB;
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.1)) {
      Trainer.lora(model, ad, reversal(12, 4), c, straight).quiet().run(false);
      straightB = ad.parameters().get(1).toFloatArray();
    }
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.1)) {
      // killed after step 5: checkpoint at 3, metrics already logged for 4 and 5
      Trainer.lora(model, ad, reversal(12, 4), c, crashed).quiet().crashAfter(5).run(false);
      assertEquals(5, metrics(crashed).size());
      assertFalse(Files.exists(crashed.resolve("adapter")));
    }
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.1)) { // a fresh process, in effect
      List<StepReport> resumed = Trainer.lora(model, ad, reversal(12, 4), c, crashed).quiet().run(true);
      assertEquals(4, resumed.get(0).step(), "continues after the checkpoint at step 3");
      assertArrayEquals(straightB, ad.parameters().get(1).toFloatArray(), "same final adapter, bit for bit");
    }
    List<JsonNode> a = metrics(straight);
    List<JsonNode> b = metrics(crashed);
    assertEquals(8, b.size());
    for (int i = 0; i < 8; i++) {
      assertEquals(i + 1, b.get(i).get("step").asInt());
      assertEquals(a.get(i).get("loss").asDouble(), b.get(i).get("loss").asDouble(), 0.0, "step " + (i + 1));
      assertEquals(a.get(i).get("grad_norm").asDouble(), b.get(i).get("grad_norm").asDouble(), 0.0);
    }
  }

  /**
   * The order a listener hears a run in: start, each step (its held-out loss first when one is measured), end; a
   * step's metrics line is written before the listeners added with addListener hear of it, its checkpoint after.
   */
  @Test
  void listenersHearTheRunInOrder() throws Exception {
    TrainConfig c = cfg().withMaxSteps(8).withCheckpointEvery(3);
    Path out = dir.resolve("heard");
    List<String> heard = new ArrayList<>();
    List<Double> evalLosses = new ArrayList<>();
    TrainerListener recorder = new TrainerListener() {
      @Override
      public void onStart(int fromStep, int stopStep) {
        heard.add("start " + fromStep + "/" + stopStep);
      }

      @Override
      public void onEval(StepReport step, double heldOutLoss) {
        heard.add("eval " + step.step());
        evalLosses.add(heldOutLoss);
      }

      @Override
      public void onStep(StepReport step) {
        try {
          assertEquals(step.step(), metrics(out).size(), "the metrics line is written first");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        boolean checkpointed = Files.exists(out.resolve(String.format("checkpoints/step-%06d", step.step())));
        heard.add("step " + step.step() + (checkpointed ? " (checkpoint already there)" : ""));
      }

      @Override
      public void onEnd(List<StepReport> steps) {
        heard.add("end " + steps.size());
      }
    };
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0)) {
      Trainer.lora(model, ad, reversal(12, 4), c, out).quiet().evalEvery(3, reversal(6, 99)).addListener(recorder)
          .run(false);
    }
    assertEquals(List.of("start 0/8", "step 1", "step 2", "eval 3", "step 3", "step 4", "step 5", "eval 6", "step 6",
        "step 7", "eval 8", "step 8", "end 8"), heard);
    List<JsonNode> m = metrics(out);
    assertEquals(List.of(m.get(2).get("eval_loss").asDouble(), m.get(5).get("eval_loss").asDouble(),
        m.get(7).get("eval_loss").asDouble()), evalLosses, "the listener hears the loss the metrics file writes");
    assertTrue(Files.exists(out.resolve("checkpoints/step-000008")), "the checkpoint followed the listener");
  }

  @Test
  void evalEveryWritesTheHeldOutLossWithoutChangingTraining() throws Exception {
    TrainConfig c = cfg().withMaxSteps(8).withCheckpointEvery(3);
    List<Sequence> held = reversal(6, 99); // the same task, rows never trained on
    List<StepReport> plain;
    List<StepReport> withEval;
    float[] plainB;
    double baseEval;
    double finalEval;
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.1)) {
      plain = Trainer.lora(model, ad, reversal(12, 4), c, dir.resolve("plain")).quiet().run(false);
      plainB = ad.parameters().get(1).toFloatArray();
    }
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.1)) {
      Trainer t = Trainer.lora(model, ad, reversal(12, 4), c, dir.resolve("eval")).quiet().evalEvery(3, held);
      var bad = assertThrows(IllegalArgumentException.class, () -> t.evalEvery(0, held));
      assertTrue(bad.getMessage().contains("steps must be ≥ 1, got 0"), bad.getMessage());
      assertThrows(IllegalArgumentException.class, () -> t.evalEvery(3, List.of()));
      baseEval = io.thinklab.train.EvalLoss.of(model, held, 4); // B = 0: the adapter adds nothing yet
      withEval = t.run(false);
      finalEval = io.thinklab.train.EvalLoss.of(model, held, 4);
      // dropout 0.1 is on while training: eval must neither consume its random numbers nor touch the weights
      assertArrayEquals(plainB, ad.parameters().get(1).toFloatArray(), "same final adapter, bit for bit");
    }
    for (int i = 0; i < 8; i++) {
      assertEquals(plain.get(i).loss(), withEval.get(i).loss(), 0.0, "step " + (i + 1));
      assertEquals(plain.get(i).gradNorm(), withEval.get(i).gradNorm(), 0.0, "step " + (i + 1));
    }
    // every 3 steps and after the last one, under Hugging Face's name, on those lines only
    List<JsonNode> m = metrics(dir.resolve("eval"));
    List<Integer> evaluated = new ArrayList<>();
    m.stream().filter(n -> n.has("eval_loss")).forEach(n -> evaluated.add(n.get("step").asInt()));
    assertEquals(List.of(3, 6, 8), evaluated);
    assertFalse(metrics(dir.resolve("plain")).stream().anyMatch(n -> n.has("eval_loss")));
    // the last one is the held-out loss of the final adapter, and it fell from the base's
    assertEquals(finalEval, m.get(7).get("eval_loss").asDouble(), 1e-9);
    assertTrue(finalEval < baseEval - 0.2, "held-out loss fell: " + baseEval + " -> " + finalEval);
    // a run capped at 3 steps (same schedule) ends where the evaluated run was at step 3
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.1)) {
      Trainer.lora(model, ad, reversal(12, 4), c.withMaxSteps(3), dir.resolve("three")).quiet().run(false);
      assertEquals(io.thinklab.train.EvalLoss.of(model, held, 4), m.get(2).get("eval_loss").asDouble(), 1e-9);
    }
    // Metrics reads them as the run's evaluations
    io.thinklab.curves.RunHistory h = io.thinklab.curves.Metrics.read(dir.resolve("eval"));
    assertEquals(8, h.steps().size());
    assertEquals(List.of(3L, 6L, 8L), h.evals().stream().map(io.thinklab.curves.EvalPoint::step).toList());
    assertEquals(finalEval, h.evals().get(2).evalLoss(), 1e-9);

    // killed after step 5 and resumed from the checkpoint at 3: the same eval losses as the straight run
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.1)) {
      Trainer.lora(model, ad, reversal(12, 4), c, dir.resolve("crashed")).quiet().evalEvery(3, held).crashAfter(5)
          .run(false);
    }
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.1)) {
      Trainer.lora(model, ad, reversal(12, 4), c, dir.resolve("crashed")).quiet().evalEvery(3, held).run(true);
    }
    List<JsonNode> resumed = metrics(dir.resolve("crashed"));
    assertEquals(8, resumed.size());
    for (int i = 0; i < 8; i++) {
      assertEquals(m.get(i).has("eval_loss"), resumed.get(i).has("eval_loss"), "step " + (i + 1));
      assertEquals(m.get(i).path("eval_loss").asDouble(), resumed.get(i).path("eval_loss").asDouble(), 0.0);
    }
  }

  @Test
  void aCappedRunResumedToTwiceTheStepsEqualsTheLongerRun() throws Exception {
    Path longer = dir.resolve("longer");
    Path capped = dir.resolve("capped");
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.1)) {
      Trainer.lora(model, ad, reversal(12, 4), cfg().withMaxSteps(8), longer).quiet().run(false);
    }
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.1)) {
      Trainer.lora(model, ad, reversal(12, 4), cfg().withMaxSteps(4), capped).quiet().run(false); // --set max_steps=4
      assertTrue(Files.exists(capped.resolve("adapter/adapter_model.safetensors")), "a capped run exports too");
    }
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.1)) {
      Trainer.lora(model, ad, reversal(12, 4), cfg().withMaxSteps(8), capped).quiet().run(true); // --resume, 8
    }
    List<JsonNode> a = metrics(longer);
    List<JsonNode> b = metrics(capped);
    assertEquals(8, b.size());
    for (int i = 0; i < 8; i++) {
      assertEquals(a.get(i).get("loss").asDouble(), b.get(i).get("loss").asDouble(), 0.0, "step " + (i + 1));
      assertEquals(a.get(i).get("lr").asDouble(), b.get(i).get("lr").asDouble(), 0.0, "step " + (i + 1));
    }
  }

  @Test
  void nanStopsTheRunAndKeepsTheLastCheckpoint() throws Exception {
    TrainConfig c = cfg().withMaxSteps(4).withCheckpointEvery(2);
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0)) {
      Trainer.lora(model, ad, reversal(8, 5), c.withMaxSteps(2), dir).quiet().run(false);
      ad.parameters().get(1).set(new float[(int) ad.parameters().get(1).getShape().size()]);
      float[] poisoned = ad.parameters().get(1).toFloatArray();
      poisoned[0] = Float.NaN;
      ad.parameters().get(1).set(poisoned);
      // resume restores the good weights from the checkpoint: poison after restoring instead, via the data
      List<Sequence> bad = reversal(8, 5);
      TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> {
        try (LlamaModel m2 = model(DataType.FLOAT32); LoraAdapter a2 = adapter(0)) {
          Trainer t = Trainer.lora(m2, a2, bad, c, dir.resolve("fresh")).quiet();
          float[] v = a2.parameters().get(1).toFloatArray();
          v[0] = Float.NaN;
          a2.parameters().get(1).set(v);
          t.run(false);
        }
      });
      assertEquals(1, e.step(), "the first step's loss is NaN");
      assertTrue(e.getMessage().contains("step 1: loss is NaN"), e.getMessage());
      assertTrue(e.getMessage().contains("Last good checkpoint: none yet"), e.getMessage());
      assertTrue(Files.exists(dir.resolve("checkpoints/step-000002/params.safetensors")), "earlier run intact");
    }
  }

  @Test
  void gradientCheckpointingTrainsTheSameRun() {
    List<List<StepReport>> runs = new ArrayList<>();
    for (boolean ckpt : new boolean[] {false, true}) {
      try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0.1)) {
        runs.add(Trainer.lora(model, ad, reversal(8, 6), cfg().withMaxSteps(4).withGradientCheckpointing(ckpt),
            dir.resolve("ckpt-" + ckpt)).quiet().run(false));
      }
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(runs.get(0).get(i).loss(), runs.get(1).get(i).loss(), 1e-5, "step " + (i + 1));
      assertEquals(runs.get(0).get(i).gradNorm(), runs.get(1).get(i).gradNorm(), 1e-4 * runs.get(0).get(i).gradNorm());
    }
  }

  @Test
  void fullTrainingLowersTheLossOfTheTinyBase() {
    // pre-training style: every base weight trains (fp32), no adapter
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1)) {
      List<StepReport> steps = Trainer.full(model, reversal(16, 1), cfg().withMaxSteps(15).withLr(1e-2), dir)
          .quiet().run(false);
      assertTrue(steps.get(14).loss() < steps.get(0).loss() - 0.5, steps.get(0).loss() + " -> " + steps.get(14).loss());
      assertTrue(Files.exists(dir.resolve("model/model.safetensors")));
      assertEquals(Tiny.config().totalParameters(), io.thinklab.safetensors.SafetensorsFile.open(
          dir.resolve("checkpoints/step-000015/params.safetensors")).tensors().values().stream()
          .mapToLong(io.thinklab.safetensors.TensorInfo::numel).sum());
    }
  }

  @Test
  void aBaseInAnotherPrecisionThanTheConfigIsRefused() {
    try (LlamaModel model = model(DataType.FLOAT32); LoraAdapter ad = adapter(0)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Trainer.lora(model, ad, reversal(4, 1), cfg().withPrecision("fp16"), dir));
      assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("fp16"), e.getMessage());
    }
  }

  @Test
  void fp16BaseTrainsWithALossScale() {
    FP16_DIR.set(dir.resolve("fp16-base"));
    List<Double> first3 = new ArrayList<>();
    try (LlamaModel model = model(DataType.FLOAT16); LoraAdapter ad = adapter(0)) {
      List<StepReport> steps = Trainer.lora(model, ad, reversal(16, 1), cfg().withPrecision("fp16").withMaxSteps(20),
          dir.resolve("run")).quiet().run(false);
      assertEquals(LossScaler.INIT_SCALE, steps.get(0).lossScale());
      steps.subList(0, 3).forEach(st -> first3.add(st.loss()));
      // dynamic loss scaling: overflowing steps are skipped and the scale halves until gradients fit
      long skipped = steps.stream().filter(StepReport::skipped).count();
      assertTrue(skipped <= 3, skipped + " skipped");
      assertTrue(steps.get(19).loss() < steps.get(0).loss() - 0.5, steps.get(0).loss() + " -> " + steps.get(19).loss());
      assertEquals(DataType.FLOAT32, ad.parameters().get(0).getDataType());
    }
    // the H100 configuration: fp16 base + gradient checkpointing trains the same steps
    FP16_DIR.set(dir.resolve("fp16-base-2"));
    try (LlamaModel model = model(DataType.FLOAT16); LoraAdapter ad = adapter(0)) {
      List<StepReport> ckpt = Trainer.lora(model, ad, reversal(16, 1), cfg().withPrecision("fp16").withMaxSteps(20)
          .withGradientCheckpointing(true), dir.resolve("run-ckpt")).quiet().crashAfter(3).run(false); // same schedule
      for (int i = 0; i < 3; i++) {
        assertEquals(first3.get(i), ckpt.get(i).loss(), 2e-3, "step " + (i + 1));
      }
    }
  }

  @Test
  void nativeArrayCountIsConstantAcross100Steps() {
    try (LlamaModel model = LlamaModel.random(Tiny.config(), DataType.FLOAT32, Device.cpu(), 1);
         LoraAdapter ad = LoraAdapter.init(Tiny.config(), new LoraConfig(2, 4, 0.1, List.of("q_proj", "v_proj"), false,
             "tiny"), Device.cpu(), 2)) {
      model.attach(ad);
      int before = model.manager().getManagedArrays().size() + ad.parameters().get(0).getManager()
          .getManagedArrays().size();
      TrainConfig c = TrainConfig.builder().batch(1, 1).epochs(1000).maxSteps(100).weightDecay(0.01).seed(1)
          .checkpoints(50, 1).build();
      List<Sequence> shortOnes = List.of(Sequence.completionOnly("s", new long[] {1, 12, 5, 12, 2}, 3));
      Trainer.lora(model, ad, shortOnes, c, dir).quiet().run(false);
      int after = model.manager().getManagedArrays().size() + ad.parameters().get(0).getManager()
          .getManagedArrays().size();
      assertEquals(before, after);
    }
  }

  @Test
  void scheduleWarmsUpThenFollowsAHalfCosine() {
    int total = 100;
    int warmup = LrSchedule.warmupSteps(0.05, total);
    assertEquals(5, warmup);
    assertEquals(0.0, LrSchedule.at("cosine", 1e-3, 0, total, warmup));
    assertEquals(0.6e-3, LrSchedule.at("cosine", 1e-3, 3, total, warmup), 1e-15);
    assertEquals(1e-3, LrSchedule.at("cosine", 1e-3, 5, total, warmup), 1e-15);
    assertEquals(0.5e-3, LrSchedule.at("cosine", 1e-3, 5 + 95 / 2.0 > 52 ? 52 : 52, total, warmup), 1e-5);
    assertEquals(0.0, LrSchedule.at("cosine", 1e-3, 100, total, warmup), 1e-15);
    assertEquals(0.5e-3, LrSchedule.at("linear", 1e-3, 5 + 95 / 2, total, warmup), 1e-5);
    assertEquals(1e-3, LrSchedule.at("constant", 1e-3, 80, total, warmup));
  }

  @Test
  void batchesCoverEveryExampleOnceAndGroupByLength() {
    List<Sequence> data = reversal(500, 9);
    Batches grouped = new Batches(data, 4, 2, 3);
    List<int[]> epoch = grouped.microBatches(0);
    boolean[] seen = new boolean[data.size()];
    long padded = 0;
    for (int[] b : epoch) {
      int max = 0;
      for (int i : b) {
        assertFalse(seen[i]);
        seen[i] = true;
        max = Math.max(max, data.get(i).length());
      }
      for (int i : b) {
        padded += max - data.get(i).length();
      }
    }
    for (boolean s : seen) {
      assertTrue(s);
    }
    assertEquals(63, grouped.stepsPerEpoch()); // 125 micro-batches in steps of 2
    // grouped by length, padding is a small share of the tokens (random batches pad ~25% here)
    long tokens = data.stream().mapToLong(Sequence::length).sum();
    assertTrue(padded < 0.02 * tokens, padded + " padded of " + tokens);
    assertEquals(epoch.get(7)[0], new Batches(data, 4, 2, 3).microBatches(0).get(7)[0], "deterministic");
    var e = assertThrows(IllegalArgumentException.class, () -> new Batches(List.of(data.get(0),
        Sequence.completionOnly("cut", new long[] {1, 9, 9}, 3)), 4, 1, 3));
    assertTrue(e.getMessage().contains("1 example(s) have no trained token") && e.getMessage().contains("[cut]"),
        e.getMessage());
  }
}
