package io.thinklab.cli;

import io.thinklab.sample.LengthProfile;
import io.thinklab.sample.SampleFiles;
import io.thinklab.sample.SampleGenerator;
import io.thinklab.sample.SampleRow;
import io.thinklab.sample.Scale;
import io.thinklab.sample.Split;
import io.thinklab.sample.Style;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code thinklab sample}: the lab's synthetic sample data. {@code sample generate} writes verifiable problems
 * with reasoning in the Opus or GLM style, at full or mini length, deterministically from a seed.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Synthetic sample triplets (stand-ins written by templates, not model outputs).",
    subcommands = {SampleCommand.Generate.class})
public final class SampleCommand implements Runnable {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code thinklab sample generate}: writes one JSONL file and prints its length statistics. */
  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Write synthetic triplets as JSONL (.gz when the name ends in .gz); same seed, same bytes.")
  static final class Generate implements Callable<Integer> {
    @Option(names = "--style", required = true, description = "opus or glm")
    String style;

    @Option(names = "--scale", defaultValue = "full", description = "full or mini (lengths ÷ 8); default ${DEFAULT-VALUE}")
    String scale;

    @Option(names = "--rows", required = true, description = "number of rows")
    int rows;

    @Option(names = "--seed", defaultValue = "42", description = "random seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--out", required = true, description = "output file (.jsonl or .jsonl.gz)")
    Path out;

    @Option(names = "--id-prefix", description = "id prefix (default <style>-<scale>-s<seed>)")
    String idPrefix;

    @Option(names = "--exclude", description = "skip problems that appear in this JSONL file (repeatable)")
    List<Path> exclude = new ArrayList<>();

    @Option(names = "--split", defaultValue = "train",
        description = "train (default), eval (only the held-out tenth of problems) or all")
    String split;

    @Option(names = "--distinct", description = "no problem text twice in the output")
    boolean distinct;

    @Override
    public Integer call() throws Exception {
      if (rows < 1) {
        throw new IllegalArgumentException("--rows must be at least 1");
      }
      Style st = Style.parse(style);
      Scale sc = Scale.parse(scale);
      SampleGenerator g = SampleGenerator.of(st, sc, seed).optDistinct(distinct).optSplit(Split.parse(split));
      if (idPrefix != null) {
        g.optIdPrefix(idPrefix);
      }
      for (Path p : exclude) {
        g.optExclude(SampleFiles.problems(p));
      }
      List<SampleRow> generated = g.generate(rows);
      SampleFiles.write(generated, out);
      System.out.println("wrote " + out + " (" + st.label() + ", " + sc.label() + ", seed " + seed + ")");
      System.out.println("estimated tokens (chars/4, plain format): " + LengthProfile.of(generated, sc).summary());
      return 0;
    }
  }
}
