package io.thinklab.train;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.thinklab.data.Dataset;
import io.thinklab.data.LoadResult;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.diagnose.Policy;
import io.thinklab.model.LlamaConfig;
import io.thinklab.preflight.RunFile;
import io.thinklab.tokens.TokenizerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A run file's data as the trainer sees it: rows read with the run file's filters and caps, formatted (plain or
 * ChatML), tokenized with the completion-only loss mask, and cut or dropped by its over-long policy. Every check
 * that can fail does so here, before a weight is loaded: a missing file, no rows left, an EOS that is not one
 * token, ids beyond the model's vocabulary.
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
    try (HuggingFaceTokenizer tok = Tokenize.load(tokDir)) {
      String eos = eosOf(tokDir);
      long[] eosIds = tok.encode(eos, false, false).getIds();
      if (eosIds.length != 1) {
        throw new IllegalArgumentException(tokDir + ": EOS '" + eos + "' is " + eosIds.length
            + " tokens, not one: training could never learn to stop");
      }
      TrainingFormat format = format(run.format(), eos);
      List<Triplet> rows = readData(run, base, say);
      Tokenize.OverLong policy = Tokenize.OverLong.valueOf(Policy.parse(run.overLong()).name());
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
   * The tokenizer folder: the base folder's own when it has one, else the run file's path, else its fallback.
   *
   * @param baseFolder a local base model folder, or null
   * @throws IllegalArgumentException when none of them exists
   */
  public static Path tokenizerDir(RunFile run, Path base, Path baseFolder, Consumer<String> say) {
    if (baseFolder != null && Files.exists(baseFolder.resolve("tokenizer.json"))) {
      return baseFolder;
    }
    Path p = base.resolve(run.tokenizer().path());
    if (Files.exists(p)) {
      return p;
    }
    String fb = run.tokenizer().fallback();
    if (fb != null && Files.exists(base.resolve(fb))) {
      say.accept("tokenizer: " + p + " not found, using the fallback " + fb);
      return base.resolve(fb);
    }
    throw new IllegalArgumentException("tokenizer " + p + " not found" + (fb == null ? "" : " (nor fallback " + fb + ")")
        + "; training needs a local folder with tokenizer.json");
  }

  /** The EOS text from {@code tokenizer_config.json} next to the tokenizer, else the seed's. */
  public static String eosOf(Path tokDir) {
    Path dir = Files.isDirectory(tokDir) ? tokDir : tokDir.toAbsolutePath().getParent();
    if (Files.exists(dir.resolve("tokenizer_config.json"))) {
      String e = TokenizerConfig.read(dir).eosToken();
      if (e != null) {
        return e;
      }
    }
    return TrainingFormat.SEED_EOS;
  }

  /**
   * Every dataset of the run file, with its filters ({@code min_thinking_chars}, {@code no_markers_in_fields},
   * {@code max_chars}) and row cap ({@code max_rows}); a missing file falls back to the dataset's
   * {@code fallback}.
   *
   * @throws IllegalArgumentException when a dataset gives no usable rows
   */
  public static List<Triplet> readData(RunFile run, Path base, Consumer<String> say) {
    List<Triplet> all = new ArrayList<>();
    for (RunFile.Data d : run.data()) {
      String path = local(base, d.path());
      if (!Files.exists(Path.of(path)) && d.fallback() != null && Files.exists(Path.of(local(base, d.fallback())))) {
        say.accept("data: " + path + " not available, using the fallback " + d.fallback());
        path = local(base, d.fallback());
      }
      RunFile.Filters f = d.filters() == null ? RunFile.Filters.NONE : d.filters();
      LoadResult r = Dataset.load(path).minThinkingChars(f.minThinkingChars()).read();
      int kept = 0;
      int filtered = 0;
      for (Triplet t : r.triplets()) {
        if (d.maxRows() > 0 && kept == d.maxRows()) {
          break;
        }
        String all3 = t.problem() + t.thinking() + t.solution();
        boolean markers = all3.contains("<think>") || all3.contains("</think>");
        int chars = all3.length();
        if ((f.noMarkersInFields() && markers) || (f.maxChars() > 0 && chars > f.maxChars())) {
          filtered++;
          continue;
        }
        all.add(t);
        kept++;
      }
      say.accept(String.format(Locale.ROOT, "data: %s: %d rows%s%s", path, kept, r.rejected() > 0 ? ", "
          + r.rejected() + " rejected " + r.byReason() : "", filtered > 0 ? ", " + filtered + " filtered" : ""));
      if (kept == 0) {
        throw new IllegalArgumentException(path + ": no usable rows (" + r.rowsRead() + " read, " + r.rejected()
            + " rejected " + r.byReason() + ")");
      }
    }
    return all;
  }

  /** A relative file path against {@code base}; a hub id ({@code hf:owner/name}) or absolute path as it is. */
  private static String local(Path base, String path) {
    return path.startsWith("hf:") ? path : base.resolve(path).toString();
  }
}
