package io.thinklab.eval;

import io.thinklab.data.Triplet;
import io.thinklab.generate.GenerationConfig;
import io.thinklab.generate.LoadedModel;
import io.thinklab.generate.Sampling;
import io.thinklab.lora.LoraConfig;
import io.thinklab.train.EvalLoss;
import io.thinklab.train.LoraRecipe;
import io.thinklab.train.RunDirs;
import io.thinklab.train.Sequence;
import io.thinklab.train.TrainConfig;
import io.thinklab.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One arm of an ablation: a fresh LoRA adapter on the base, trained on the arm's sequences, then graded on the
 * held-out problems (or the base alone, untrained, when there are no sequences). Every arm of an ablation goes
 * through here, so the arms differ only in what they are given.
 */
final class AblationArm {
  private AblationArm() {}

  /** The first {@code n} rows of a triplet file (all of them when it has fewer), read leniently. */
  static List<Triplet> firstRows(Path file, int n) {
    List<Triplet> all = io.thinklab.data.Dataset.load(file).lenient().minThinkingChars(0).read().triplets();
    return all.subList(0, Math.min(n, all.size()));
  }

  /** Each row in {@code f}, completion-only, cut at {@code cutoff} tokens. */
  static List<Sequence> sequences(LoadedModel lm, io.thinklab.data.TrainingFormat f, List<Triplet> rows,
                                  int cutoff) {
    return io.thinklab.train.Tokenize.completionOnly(lm.tokenizer(), f, rows, cutoff);
  }

  /**
   * Runs the arms side by side, each on a thread of its own, and returns their results in order. The arms share
   * nothing but the base's files, so each one's figures are bit-identical to a run alone (its adapter and sampler
   * draw from their own seeded Java generators, autograd records per thread, and PyTorch splits each op by its
   * thread count, not by what else runs); on two cores an ablation takes about half as long. The first arm runs
   * on the caller's thread; the others on daemon threads, so a notebook's kernel can still exit.
   */
  @SafeVarargs
  static <T> List<T> sideBySide(java.util.function.Supplier<T>... arms) {
    List<java.util.concurrent.CompletableFuture<T>> others = new java.util.ArrayList<>();
    for (int i = 1; i < arms.length; i++) {
      others.add(java.util.concurrent.CompletableFuture.supplyAsync(arms[i], task -> {
        Thread t = new Thread(task, "ablation-arm");
        t.setDaemon(true);
        t.start();
      }));
    }
    List<T> done = new java.util.ArrayList<>();
    done.add(arms[0].get());
    for (var f : others) {
      try {
        done.add(f.join());
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    return done;
  }

  /** One JSON object of the arms (or figures) in {@code m}, in their order. */
  static String json(java.util.Map<String, Object> m) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(m);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What one arm did.
   *
   * @param finalLoss the last step's training loss (NaN for the untrained base)
   */
  record Done(double finalLoss, Evaluator.Evaluation evaluation) {}

  /**
   * Trains (unless {@code data} is empty) with {@link LoraRecipe} into {@code out/name} and evaluates the adapter it
   * saved there on the base at {@code base} (the base alone when untrained); progress lines go to {@code progress}
   * every 10 optimizer steps and at each phase.
   */
  static Done run(String name, Path base, List<Sequence> data, LoraConfig lora, TrainConfig train, Path out,
                  List<Triplet> held, int maxNewTokens, Sampling sampling, Consumer<String> progress) {
    long t0 = System.nanoTime();
    double loss = Double.NaN;
    Path evaluated = base; // the untrained base: no adapter
    if (!data.isEmpty()) {
      RunDirs.clearEarlierRun(out.resolve(name)); // the same arm, run again
      int total = Trainer.totalSteps(data, train);
      int stop = train.maxSteps() > 0 ? Math.min(total, train.maxSteps()) : total;
      LoraRecipe.Result r = LoraRecipe.on(base).sequences(data).lora(lora).config(train).onStep(st -> {
        if (st.step() % 10 == 0 || st.step() == stop) {
          progress.accept(String.format("%s: step %d/%d loss %.3f (%.0f s)", name, st.step(), stop, st.loss(),
              (System.nanoTime() - t0) / 1e9));
        }
      }).run(out.resolve(name));
      loss = r.last().loss();
      evaluated = r.out();
    }
    progress.accept(String.format("%s: evaluating %d held-out problems (up to %d new tokens each, %s)", name,
        held.size(), maxNewTokens, sampling.isGreedy() ? "greedy" : "sampled at T=" + sampling.temperature()));
    try (LoadedModel lm = LoadedModel.open(evaluated, null)) { // the base with the adapter as saved
      double evalLoss = EvalLoss.of(lm.model(), lm.plainSequences(held), 8);
      GenerationConfig g = new GenerationConfig(maxNewTokens, sampling, true, List.of(), Set.of(lm.eosId()));
      Evaluator.Evaluation e = Evaluator.of(lm.generator(g), io.thinklab.data.TrainingFormat.plain(lm.eosToken()))
          .batchSize(8).run(name, held, evalLoss);
      EvalResult r = e.result();
      progress.accept(String.format("%s: close %.1f %%, finish %.1f %%, accuracy %.1f %% %s (%.0f s in all)", name,
          100 * r.closeRate(), 100 * r.finishRate(), 100 * r.accuracy(), r.accuracyCi(),
          (System.nanoTime() - t0) / 1e9));
      return new Done(loss, e);
    }
  }
}
