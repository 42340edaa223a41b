package io.thinklab.tokens;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Hugging Face tokenizer ({@code tokenizer.json} + {@code tokenizer_config.json}) run by the Rust core that
 * DJL ships, set up for counting: truncation OFF and no padding.
 *
 * <p>Why not {@code HuggingFaceTokenizer} as it comes: its builder truncates to 512 tokens unless told not to,
 * which silently makes every long example look short; and its {@code batchEncode} copies tokens, offsets and
 * masks of every token into Java objects (0.13 M tokens/s on 2 cores). {@link #batchIds} asks the Rust core
 * for the ids only (about 1 M tokens/s on the same cores), which is all a length diagnosis needs.
 *
 * <p>Use {@link #load(Path)} for a local folder, {@link #fromHub(String, Path)} for a hub id, or
 * {@link #resolve(String)} for either. Close it when done (it holds native memory).
 */
public final class Tokenizer implements AutoCloseable {

  private static final TokenizersLibrary LIB = TokenizersLibrary.LIB;

  private final HuggingFaceTokenizer hf;
  private final TokenizerConfig config;
  private final String name;
  private final long handle;

  private Tokenizer(HuggingFaceTokenizer hf, TokenizerConfig config, String name) {
    this.hf = hf;
    this.config = config;
    this.name = name;
    this.handle = hf.getHandle();
  }

  /**
   * Loads {@code tokenizer.json} (and {@code tokenizer_config.json} when present) from a folder.
   *
   * @throws IllegalArgumentException when the folder or its {@code tokenizer.json} is missing
   */
  public static Tokenizer load(Path dir) {
    Path json = Files.isDirectory(dir) ? dir.resolve("tokenizer.json") : dir;
    Path folder = json.toAbsolutePath().getParent();
    if (!Files.isRegularFile(json)) {
      throw new IllegalArgumentException(json + ": no tokenizer.json there"
          + (dir.toString().contains("qwen3") ? " (run environment/lab test or run to fetch the offline tokenizer)" : ""));
    }
    Path cfgFile = folder.resolve("tokenizer_config.json");
    TokenizerConfig config = Files.isRegularFile(cfgFile) ? TokenizerConfig.read(cfgFile)
        : new TokenizerConfig(null, null, null, null, null, null, null, folder.toString());
    try {
      return new Tokenizer(huggingFace(json), config, folder.toString());
    } catch (UncheckedIOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(json + ": not a valid Hugging Face tokenizer.json: " + e.getMessage(), e);
    }
  }

  /**
   * DJL's Hugging Face tokenizer for a {@code tokenizer.json} (or the folder holding it), set up as ThinkLab uses it
   * everywhere, for counting and for training: truncation and padding off (DJL's default silently truncates every
   * text at 512 tokens), special tokens (BOS) added when an encode call asks. {@link #load} wraps it; the trainer
   * uses it directly for the character spans of its loss mask. Close it when done.
   */
  public static HuggingFaceTokenizer huggingFace(Path dirOrFile) {
    Path json = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("tokenizer.json") : dirOrFile;
    try {
      return HuggingFaceTokenizer.builder()
          .optTokenizerPath(json)
          .optTruncation(false)
          .optPadding(false)
          .optAddSpecialTokens(true)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(json + ": cannot load tokenizer: " + e.getMessage(), e);
    }
  }

  /** Downloads a hub tokenizer into {@code cacheDir} (once) and loads it; a clear error when offline. */
  public static Tokenizer fromHub(String hubId, Path cacheDir) {
    return load(HubFiles.tokenizer(hubId, cacheDir));
  }

  /** A local folder when {@code dirOrHubId} names one, else a hub id cached under {@code data/hub/}. */
  public static Tokenizer resolve(String dirOrHubId) {
    return resolve(dirOrHubId, HubFiles.DEFAULT_CACHE);
  }

  /** A local folder when {@code dirOrHubId} names one, else a hub id cached under {@code hubCache}. */
  public static Tokenizer resolve(String dirOrHubId, Path hubCache) {
    Path p = Path.of(dirOrHubId);
    if (Files.exists(p) || !HubFiles.looksLikeHubId(dirOrHubId)) {
      return load(p);
    }
    return fromHub(dirOrHubId, hubCache);
  }

  /** Where it was loaded from. */
  public String name() {
    return name;
  }

  /** The special tokens and flags of {@code tokenizer_config.json}. */
  public TokenizerConfig config() {
    return config;
  }

  /** The EOS text: the config's {@code eos_token}, or the seed's {@code </s>} when it names none. */
  public String eosToken() {
    return config.eosOrSeed();
  }

  /** Token ids of one text, with the special tokens the tokenizer's post-processor adds (BOS …) when asked. */
  public int[] ids(String text, boolean addSpecialTokens) {
    return batchIds(List.of(text), addSpecialTokens).get(0);
  }

  /**
   * Token ids of many texts, encoded in parallel by the Rust core, with only the ids copied back to Java.
   * This is the fast path the diagnosis uses.
   */
  public List<int[]> batchIds(List<String> texts, boolean addSpecialTokens) {
    long[] encodings = LIB.batchEncode(handle, texts.toArray(String[]::new), addSpecialTokens);
    List<int[]> out = new ArrayList<>(encodings.length);
    try {
      for (long e : encodings) {
        long[] ids = LIB.getTokenIds(e);
        int[] small = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
          small[i] = (int) ids[i];
        }
        out.add(small);
      }
    } finally {
      for (long e : encodings) {
        LIB.deleteEncoding(e);
      }
    }
    return out;
  }

  /** Only the number of tokens of each text (same path as {@link #batchIds}). */
  public int[] batchCounts(List<String> texts, boolean addSpecialTokens) {
    long[] encodings = LIB.batchEncode(handle, texts.toArray(String[]::new), addSpecialTokens);
    int[] out = new int[encodings.length];
    try {
      for (int i = 0; i < encodings.length; i++) {
        out[i] = LIB.getTokenIds(encodings[i]).length;
      }
    } finally {
      for (long e : encodings) {
        LIB.deleteEncoding(e);
      }
    }
    return out;
  }

  /**
   * The token index that covers character {@code charIndex} of {@code text} (the slow path with offsets, used only
   * when a marker is not a single token), or -1 when no token covers it.
   */
  public int tokenAt(String text, int charIndex, boolean addSpecialTokens) {
    Encoding enc = hf.encode(text, addSpecialTokens, false);
    CharSpan[] spans = enc.getCharTokenSpans();
    for (int i = 0; i < spans.length; i++) {
      CharSpan s = spans[i];
      if (s != null && s.getStart() <= charIndex && charIndex < s.getEnd()) {
        return i;
      }
    }
    return -1;
  }

  /**
   * One token with its text and the characters it came from (the slow path: for showing, not for counting).
   *
   * @param id    token id
   * @param text  the token as the vocabulary spells it (byte-level tokenizers show a space as {@code Ġ})
   * @param start first character in the input (inclusive), -1 for tokens added by the post-processor
   * @param end   last character (exclusive), -1 likewise
   */
  public record Token(int id, String text, int start, int end) {}

  /** Every token of {@code text} with its character span. */
  public List<Token> encodeDetailed(String text, boolean addSpecialTokens) {
    Encoding enc = hf.encode(text, addSpecialTokens, false);
    long[] ids = enc.getIds();
    String[] toks = enc.getTokens();
    CharSpan[] spans = enc.getCharTokenSpans();
    List<Token> out = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      CharSpan s = spans[i];
      boolean added = enc.getSpecialTokenMask()[i] == 1 && (s == null || s.getEnd() <= s.getStart());
      out.add(new Token((int) ids[i], toks[i], s == null || added ? -1 : s.getStart(), s == null || added ? -1
          : s.getEnd()));
    }
    return out;
  }

  /** The token strings of a text, for showing how it splits. */
  public List<String> tokens(String text) {
    return List.of(hf.encode(text, false, false).getTokens());
  }

  /** The single id {@code text} encodes to, or -1 when it takes several tokens (or none). */
  public int singleTokenId(String text) {
    int[] ids = ids(text, false);
    return ids.length == 1 ? ids[0] : -1;
  }

  /** Whether {@code <think>}, {@code </think>} and EOS are single tokens, with what it means if not. */
  public MarkerReport markers() {
    return MarkerReport.of(this);
  }

  /** Ids the post-processor adds around an empty text when special tokens are on (BOS, for Llama-style). */
  public int[] addedSpecialIds() {
    return ids("", true);
  }

  @Override
  public void close() {
    hf.close();
  }

  @Override
  public String toString() {
    return "Tokenizer[" + name + "]";
  }
}
