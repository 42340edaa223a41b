package io.thinklab.generate;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.lora.LoraAdapter;
import io.thinklab.model.LlamaModel;
import io.thinklab.tokens.Tokenizer;
import io.thinklab.tokens.TokenizerConfig;
import io.thinklab.train.Sequence;
import io.thinklab.train.Tokenize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model ready to generate: the base, an optional attached (unmerged) LoRA adapter, the tokenizer and the
 * EOS token. {@link #open} resolves what {@code thinklab generate/eval} are given:
 * <ul>
 *   <li>a model folder ({@code config.json}, safetensors, {@code tokenizer.json}, optionally
 *       {@code tokenizer_config.json});</li>
 *   <li>a training run's output folder (holding {@code adapter/}) or an adapter folder itself
 *       ({@code adapter_config.json}): the base is the adapter's {@code base_model_name_or_path} folder.</li>
 * </ul>
 *
 * @param model     the base model, with the adapter attached when there is one
 * @param adapter   the adapter, or null
 * @param tokenizer the base model's tokenizer, truncation off
 * @param eosToken  the EOS text (what training appended to every example)
 * @param eosId     its id
 * @param modelDir  the base model's folder
 */
public record LoadedModel(LlamaModel model, LoraAdapter adapter, HuggingFaceTokenizer tokenizer, String eosToken,
                          long eosId, Path modelDir) implements AutoCloseable {

  /** Where trained runs are written: {@code runs/<run name>/} (an adapter in {@code adapter/}). */
  public static final Path RUNS = Path.of("runs");

  /**
   * A folder from what a user typed: an existing path as is; otherwise a run name (a built-in run file such as
   * {@code tiny-opus-cpu}, or any name) is looked up as {@code runs/<name>}.
   */
  public static Path locate(String pathOrRunName) {
    Path p = Path.of(pathOrRunName);
    if (Files.exists(p)) {
      return p;
    }
    Path run = RUNS.resolve(pathOrRunName);
    if (Files.isDirectory(run)) {
      return run;
    }
    boolean builtIn = io.thinklab.run.RunFiles.BUILT_IN.contains(pathOrRunName);
    throw new IllegalArgumentException("'" + pathOrRunName + "' is neither a folder nor a run with output in " + run
        + (builtIn ? " (a built-in run file: train it first)" : ""));
  }

  /** Loads {@code runOrModel} (and {@code adapterDir}, when not null) in fp32 on the CPU. */
  public static LoadedModel open(Path runOrModel, Path adapterDir) {
    Path model = runOrModel;
    Path adapter = adapterDir;
    if (!Files.exists(runOrModel.resolve("config.json"))) {
      Path a = Files.exists(runOrModel.resolve("adapter").resolve("adapter_config.json"))
          ? runOrModel.resolve("adapter") : runOrModel;
      if (!Files.exists(a.resolve("adapter_config.json"))) {
        throw new IllegalArgumentException(runOrModel + ": neither a model folder (config.json) nor a run or"
            + " adapter folder (adapter/adapter_config.json)");
      }
      adapter = adapter == null ? a : adapter;
      model = baseOf(a);
    }
    LlamaModel m = LlamaModel.load(model, DataType.FLOAT32, Device.cpu());
    LoraAdapter ad = null;
    try {
      if (adapter != null) {
        ad = LoraAdapter.load(adapter, m.config(), Device.cpu());
        m.attach(ad);
      }
      HuggingFaceTokenizer tok = Tokenizer.huggingFace(model);
      String eos = TokenizerConfig.eosOf(model);
      long eosId = m.config().eosTokenId(); // config.json's, unless the tokenizer names its EOS as one token
      if (Files.exists(model.resolve("tokenizer_config.json")) && TokenizerConfig.read(model).eosToken() != null) {
        long[] ids = tok.encode(eos, false, false).getIds();
        if (ids.length == 1) {
          eosId = ids[0];
        }
      }
      return new LoadedModel(m, ad, tok, eos, eosId, model);
    } catch (RuntimeException e) {
      if (ad != null) {
        ad.close();
      }
      m.close();
      throw e;
    }
  }

  private static Path baseOf(Path adapterDir) {
    try {
      JsonNode n = new ObjectMapper().readTree(adapterDir.resolve("adapter_config.json").toFile());
      String base = n.path("base_model_name_or_path").asText("");
      Path p = Path.of(base);
      if (base.isEmpty() || !Files.exists(p.resolve("config.json"))) {
        throw new IllegalArgumentException(adapterDir + ": base_model_name_or_path '" + base
            + "' is not a local model folder; pass the base model folder and --adapter " + adapterDir);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Held-out rows as this model scores them: the seed's plain format with its EOS, completion-only labels, never
   * cut. What {@link io.thinklab.train.EvalLoss} takes for an eval loss.
   */
  public List<Sequence> plainSequences(List<Triplet> rows) {
    return Tokenize.completionOnly(tokenizer, TrainingFormat.plain(eosToken), rows, Integer.MAX_VALUE);
  }

  /** A codec over this tokenizer, adding special tokens (BOS) as training did. */
  public TextCodec codec() {
    return TextCodec.of(tokenizer, true);
  }

  /** A generator with {@code config} (its EOS set to this tokenizer's). */
  public Generator generator(GenerationConfig config) {
    return Generator.of(model, codec(), config);
  }

  @Override
  public void close() {
    tokenizer.close();
    if (adapter != null) {
      adapter.close();
    }
    model.close();
  }
}
