package io.thinklab.cli;

import io.thinklab.preflight.Preflight;
import io.thinklab.train.Pretrain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code thinklab pretrain}: the tiny base, trained from scratch on worked solutions and direct-answer chats. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = {"Pre-train the lab's tiny base (tiny-thinker, the tiny tokenizer) from random weights on the "
        + "mini samples: each row as a worked solution (problem, reasoning as plain prose, solution; no <think> "
        + "markers) and as a chat that answers at once, so that LoRA SFT adapts a base that already knows the domain "
        + "but does not think before answering. Writes a model folder (config.json, model.safetensors, tokenizer files; training/ holds "
        + "metrics.jsonl). Skips the work when --out already holds a base made with the same settings."})
public final class PretrainCommand implements Callable<Integer> {

  @Option(names = "--out", paramLabel = "DIR",
      description = "the base model folder (default build/tiny-base, or build/tiny-base-s<seed> for another seed: "
          + "where notebooks look)")
  Path out;

  @Option(names = "--epochs", description = "passes over the pre-training lines (default: Pretrain.Settings.tiny, 10)")
  Integer epochs;

  @Option(names = "--lr", description = "peak learning rate (default 1e-3)")
  Double lr;

  @Option(names = "--max-steps", description = "stop after N optimizer steps (default: all epochs)")
  Integer maxSteps;

  @Option(names = "--seed", description = "initialisation and data order (default: THINKLAB_SEED, else 42)")
  Long seed;

  @Option(names = "--force", description = "train again even when --out holds a base with the same settings")
  boolean force;

  @Option(names = "--no-progress", description = "no progress bar")
  boolean noProgress;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter say = spec.commandLine().getOut();
    Pretrain.Settings s = Pretrain.Settings.tiny(Preflight.root());
    var t = s.train();
    t = epochs == null ? t : t.withEpochs(epochs);
    t = lr == null ? t : t.withLr(lr);
    t = maxSteps == null ? t : t.withMaxSteps(maxSteps);
    long sd = seed == null ? io.thinklab.train.LabSeed.get() : seed;
    t = t.withSeed(sd);
    if (out == null) {
      out = Preflight.root().resolve(Pretrain.baseDir(sd));
    }
    s = s.withTrain(t);
    long t0 = System.nanoTime();
    Pretrain.Result r = force ? Pretrain.run(s, out, st -> {}, !noProgress && System.console() != null)
        : Pretrain.ensure(s, out, st -> {});
    if (r.reused()) {
      say.println("pretrain: " + out + " already holds a base made with these settings (use --force to retrain)");
    } else {
      say.printf("pretrain: %,d lines, %,d tokens per epoch, %d steps in %.1f s; loss %.3f -> %.3f; base in %s%n",
          r.lines(), r.tokens(), r.steps().size(), (System.nanoTime() - t0) / 1e9, r.firstLoss(), r.lastLoss(), out);
    }
    say.flush();
    return 0;
  }
}
