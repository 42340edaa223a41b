package io.thinklab.train;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.diagnose.Policy;
import io.thinklab.model.LlamaConfig;
import io.thinklab.run.RunFile;
import io.thinklab.run.RunRows;
import io.thinklab.run.RunSources;
import io.thinklab.tokens.Tokenizer;
import io.thinklab.tokens.TokenizerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A run file's data as the trainer sees it: the rows the preflight measures ({@link RunRows}), formatted (plain or
 * ChatML), tokenized with the completion-only loss mask, and cut or dropped by its over-long policy. Every check
 * that can fail does so here, before a weight is loaded: a missing file, no rows left, an EOS that is not one
 * token, ids beyond the model's vocabulary. A dataset or tokenizer that is not where the run file says is an error
 * that says how to get it, never silently replaced by the run file's {@code fallback}: the overloads with
 * {@code allowFallback} ({@code thinklab train --allow-fallback}) use it, for demos, and say so.
 *
 * <pre>{@code
 * RunFile run = RunFiles.resolve("tiny-opus-cpu", List.of());
 * LlamaConfig mc = LlamaConfig.read(Pretrain.tinyBase());
 * Path tok = TrainData.tokenizerDir(run, Lab.root(), null, System.out::println);
 * TrainData.Loaded data = TrainData.load(run, Lab.root(), tok, mc, System.out::println);
 * }</pre>
 *
 * <p>Relative paths in the run file are resolved against {@code base}: the working folder for
 * {@code thinklab train} (as a shell user expects), the checkout for a notebook. The command uses the same calls,
 * so a notebook trains on exactly what {@code thinklab train} would.
 */
public final class TrainData {
  private TrainData() {}

  /**
   * The tokenized data of a run.
   *
   * @param sequences one per kept example, ids with labels (-100 where masked)
   * @param eos       the end-of-sequence text appended to every example
   * @param tokenizer the tokenizer folder used
   * @param rows      rows read from the run file's datasets (after filters and caps)
   * @param dropped   rows dropped by the over-long policy
   * @param trainableTokens the ids of the run file's {@code lora.trainable_tokens} in this tokenizer
   */
  public record Loaded(List<Sequence> sequences, String eos, Path tokenizer, int rows, int dropped,
                       List<Integer> trainableTokens) {

    /** Tokens in all sequences (prompt and completion). */
    public long tokens() {
      return sequences.stream().mapToLong(Sequence::length).sum();
    }

    /** Tokens inside the loss. */
    public long trainedTokens() {
      return sequences.stream().mapToLong(Sequence::trainedTokens).sum();
    }
  }

  /**
   * Reads, formats and tokenizes the run's data with the tokenizer in {@code tokDir}, checked against the model
   * config {@code mc}.
   *
   * @param say receives one line per dataset and a summary line (pass {@code s -> {}} for silence)
   * @throws IllegalArgumentException for an unknown format, an EOS that is several tokens, ids outside the
   *                                  model's vocabulary, or no examples left
   */
  public static Loaded load(RunFile run, Path base, Path tokDir, LlamaConfig mc, Consumer<String> say) {
    return load(run, base, tokDir, mc, false, say);
  }

  /**
   * The same, with {@code allowFallback} true to train on a dataset's {@code fallback} when its data is missing
   * ({@code thinklab train --allow-fallback}, for demos; said in a WARNING line).
   *
   * @throws IllegalArgumentException also when a dataset is missing and {@code allowFallback} is false, naming it,
   *                                  where it was looked for and how to get it
   */
  public static Loaded load(RunFile run, Path base, Path tokDir, LlamaConfig mc, boolean allowFallback,
                            Consumer<String> say) {
    List<Triplet> rows = readData(run, base, allowFallback, say); // before the tokenizer: a missing file first
    try (HuggingFaceTokenizer tok = Tokenizer.huggingFace(tokDir)) {
      String eos = TokenizerConfig.eosOf(tokDir);
      long[] eosIds = tok.encode(eos, false, false).getIds();
      if (eosIds.length != 1) {
        throw new IllegalArgumentException(tokDir + ": EOS '" + eos + "' is " + eosIds.length
            + " tokens, not one: training could never learn to stop");
      }
      TrainingFormat format = format(run.format(), eos);
      Policy policy = Policy.parse(run.overLong());
      List<Sequence> data = new ArrayList<>();
      long maxId = -1;
      int cut = 0;
      for (Triplet t : rows) {
        var seq = Tokenize.completionOnly(tok, format.format(t), run.maxLength(), policy, true);
        if (seq.isEmpty()) {
          cut++;
          continue;
        }
        for (long id : seq.get().ids()) {
          maxId = Math.max(maxId, id);
        }
        data.add(seq.get());
      }
      if (maxId >= mc.vocabSize()) {
        throw new IllegalArgumentException("tokenizer " + tokDir + " gives ids up to " + maxId + " but the model's "
            + "vocabulary has " + mc.vocabSize() + " rows: use the model's own tokenizer");
      }
      if (data.isEmpty()) {
        throw new IllegalArgumentException("no examples left after the over-long policy " + run.overLong());
      }
      say.accept(String.format(Locale.ROOT, "data: %d examples (%s, max_length %d, over_long %s%s), eos %s",
          data.size(), run.format(), run.maxLength(), run.overLong(), cut > 0 ? ", " + cut + " dropped" : "", eos));
      return new Loaded(List.copyOf(data), eos, tokDir, rows.size(), cut,
          Tokenize.singleTokenIds(tok, run.lora().trainableTokens()));
    }
  }

  /**
   * The adapter a run file asks for, on {@code base} (recorded as {@code base_model_name_or_path}), with its
   * {@code lora.trainable_tokens} as ids of the run's tokenizer: what {@code thinklab train} attaches.
   */
  public static io.thinklab.lora.LoraConfig loraConfig(RunFile run, Path base, Loaded data) {
    return loraConfig(run, base, data.trainableTokens());
  }

  /** The same with the trainable tokens' ids given (they are the run file's {@code lora.trainable_tokens}). */
  public static io.thinklab.lora.LoraConfig loraConfig(RunFile run, Path base, List<Integer> trainableTokens) {
    RunFile.Lora l = run.lora();
    return new io.thinklab.lora.LoraConfig(l.r(), l.alpha(), l.dropout(), l.targets(), l.rslora(), base.toString())
        .withTrainableTokens(trainableTokens);
  }

  /** The run file's format with this EOS: {@code plain} or {@code chatml}. */
  public static TrainingFormat format(String name, String eos) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "plain" -> TrainingFormat.plain(eos);
      case "chatml" -> TrainingFormat.chatml(eos);
      default -> throw new IllegalArgumentException("format '" + name + "': train knows plain and chatml");
    };
  }

  /**
   * The tokenizer folder, looked for where the preflight looks ({@link RunSources#tokenizer}): the base model
   * folder's own, else the run file's {@code path}, else its download in {@code data/hub/}. Never the run file's
   * {@code fallback} (another model's tokenizer): see {@link #tokenizerDir(RunFile, Path, Path, boolean, Consumer)}.
   *
   * @param baseFolder a local base model folder, or null
   * @throws IllegalArgumentException when none exists, saying where it looked, how to get it and where to put it
   */
  public static Path tokenizerDir(RunFile run, Path base, Path baseFolder, Consumer<String> say) {
    return tokenizerDir(run, base, baseFolder, false, say);
  }

  /** The same, with {@code allowFallback} true to use the run file's tokenizer {@code fallback} (said in a WARNING). */
  public static Path tokenizerDir(RunFile run, Path base, Path baseFolder, boolean allowFallback,
                                  Consumer<String> say) {
    Path found = RunSources.tokenizer(run.tokenizer().path(), base, baseFolder);
    if (found != null) {
      return found;
    }
    String fb = run.tokenizer().fallback();
    if (allowFallback && fb != null && Files.exists(base.resolve(fb))) {
      say.accept("WARNING: tokenizer " + run.tokenizer().path() + " not found; --allow-fallback: using " + fb
          + ", another model's tokenizer. This run does not train what its run file names.");
      return base.resolve(fb);
    }
    throw new IllegalArgumentException(RunSources.missingTokenizer(run.tokenizer(), base, baseFolder)
        + (allowFallback && fb != null ? " (the fallback " + base.resolve(fb) + " is missing too)" : ""));
  }

  /**
   * Every dataset of the run file: the rows the preflight measures ({@link RunRows}: the loader's checks, the
   * filters, then {@code max_rows} drawn with the entry's seed), found where the preflight looks
   * ({@link RunSources#data}).
   *
   * @throws IllegalArgumentException when a dataset is missing (naming it, where it was looked for and how to get
   *                                  it; its {@code fallback} is not used) or gives no usable rows
   */
  public static List<Triplet> readData(RunFile run, Path base, Consumer<String> say) {
    return readData(run, base, false, say);
  }

  /** The same, with {@code allowFallback} true to read a missing dataset's {@code fallback} (said in a WARNING). */
  public static List<Triplet> readData(RunFile run, Path base, boolean allowFallback, Consumer<String> say) {
    List<RunRows> sources = new ArrayList<>();
    for (int i = 0; i < run.data().size(); i++) { // every file found before any is read
      RunFile.Data d = run.data().get(i);
      RunSources.Found found = RunSources.data(d, base);
      if (found == null && allowFallback) {
        found = RunSources.fallback(d, base);
        if (found != null) {
          say.accept("WARNING: data " + d.path() + " not available; --allow-fallback: training on " + d.fallback()
              + ", a stand-in. This run does not train on the data its run file names.");
        }
      }
      if (found == null) {
        throw new IllegalArgumentException(RunSources.missingData(d, i, base));
      }
      sources.add(RunRows.of(found));
    }
    List<Triplet> all = new ArrayList<>();
    for (RunRows rows : sources) {
      List<Triplet> kept = rows.toList();
      all.addAll(kept);
      say.accept(String.format(Locale.ROOT, "data: %s: %d rows%s%s", rows.shown(), kept.size(),
          rows.selection().isEmpty() ? "" : " (max_rows: " + rows.selection() + ")",
          rows.rejects().isEmpty() ? "" : ", refused " + rows.rejects()));
      if (kept.isEmpty()) {
        throw new IllegalArgumentException(rows.shown() + ": no usable rows (" + rows.rowsRead() + " read, refused "
            + rows.rejects() + ")");
      }
    }
    return all;
  }

}
