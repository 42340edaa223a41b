package io.thinklab.diagnose;

import io.thinklab.data.FormattedExample;
import io.thinklab.data.Segment;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.tokens.MarkerReport;
import io.thinklab.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures every example of a corpus in tokens, streaming: rows are formatted and encoded in batches, only the
 * counts and marker positions of each row are kept, never its ids (25,000 GLM rows are about 85 M tokens).
 *
 * <p>How positions are found: added tokens such as {@code <think>}, {@code </think>} and EOS are split out of the
 * text before BPE, so when each marker is one token its index in the full sequence is exact from the ids alone
 * (the last occurrence of its id). When a marker is not a single token, its index falls back to the token whose
 * character offsets cover the marker's first character for {@code <think>}, and its last character for
 * {@code </think>} and EOS, so that a stop signal counts as kept only when all of it is (slower: the offsets come
 * back to Java).
 *
 * <p>The completion's length is, by the seed's definition, the completion encoded alone. Since everything after
 * the completion's first {@code <think>} is split into the same pieces in both encodings, it equals the full
 * sequence's tokens from that {@code <think>} on plus the tokens of the short text before it
 * ({@code "Assistant: "}), which is counted once per distinct text. The first {@value #CHECK_ROWS} rows are
 * checked against a separate encoding of their completions; on any difference (a tokenizer that merges across the
 * prompt/completion boundary), or with {@link Builder#optExactCompletion(boolean)}, every completion is encoded
 * separately.
 *
 * <pre>{@code
 * try (Tokenizer tok = Tokenizer.load(Path.of("data/tokenizers/qwen3"))) {
 *   Diagnosis d = Diagnoser.builder().setTokenizer(tok).build().diagnose(triplets, List.of(2048, 4096));
 * }
 * }</pre>
 */
public final class Diagnoser {

  /** Rows of the first batch whose completion is encoded separately to check the derived length. */
  static final int CHECK_ROWS = 64;

  private final Tokenizer tok;
  private final TrainingFormat format;
  private final int batchSize;
  private final int microBatch;
  private boolean exactCompletion;
  private final int openId;
  private final int closeId;
  private final int eosId;
  private final int suffixAdded;
  private final List<String> markerLines;
  private final Map<String, Integer> headCounts = new HashMap<>();
  private boolean checked;

  private Diagnoser(Builder b) {
    this.tok = Objects.requireNonNull(b.tokenizer, "setTokenizer is required");
    this.format = b.format != null ? b.format : TrainingFormat.plain(tok.eosToken());
    this.batchSize = b.batchSize;
    this.microBatch = b.microBatch;
    this.exactCompletion = b.exactCompletion;
    MarkerReport m = new MarkerReport(markerOf("<think>"), markerOf("</think>"), markerOf(format.eos()));
    this.openId = m.thinkOpen().id();
    this.closeId = m.thinkClose().id();
    this.eosId = m.eos().id();
    this.markerLines = m.lines();
    this.suffixAdded = suffixAdded(tok);
  }

  private MarkerReport.Marker markerOf(String text) {
    return new MarkerReport.Marker(text, tok.ids(text, false));
  }

  /** Starts a builder; {@link Builder#setTokenizer} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The format examples are rendered with. */
  public TrainingFormat format() {
    return format;
  }

  /** How the tokenizer encodes the three markers. */
  public List<String> markerLines() {
    return markerLines;
  }

  /** Formats and measures every triplet, then reports at {@code cutoffs}. */
  public Diagnosis diagnose(Iterable<Triplet> triplets, List<Integer> cutoffs) {
    Iterable<FormattedExample> formatted = () -> new Iterator<>() {
      final Iterator<Triplet> it = triplets.iterator();

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public FormattedExample next() {
        return format.format(it.next());
      }
    };
    return diagnoseFormatted(formatted, cutoffs);
  }

  /** Measures already-formatted examples, then reports at {@code cutoffs}. */
  public Diagnosis diagnoseFormatted(Iterable<FormattedExample> examples, List<Integer> cutoffs) {
    return new Diagnosis(tok.name() + ", format " + format.name(), markerLines, measure(examples), cutoffs,
        microBatch);
  }

  /**
   * Per-example lengths, in order, encoding {@code batchSize} examples at a time. A reader thread reads and formats
   * the next batch while the Rust core encodes this one, so at most two batches of text are in memory.
   */
  public List<ExampleLengths> measure(Iterable<FormattedExample> examples) {
    Iterator<FormattedExample> it = examples.iterator();
    ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "thinklab-diagnose-reader");
      t.setDaemon(true);
      return t;
    });
    List<ExampleLengths> out = new ArrayList<>();
    try {
      Future<List<FormattedExample>> next = reader.submit(() -> take(it));
      while (true) {
        List<FormattedExample> batch = await(next);
        if (batch.isEmpty()) {
          return out;
        }
        next = reader.submit(() -> take(it)); // read ahead while this batch encodes
        out.addAll(measureBatch(batch));
      }
    } finally {
      reader.shutdownNow();
    }
  }

  private List<FormattedExample> take(Iterator<FormattedExample> it) {
    List<FormattedExample> batch = new ArrayList<>(batchSize);
    while (batch.size() < batchSize && it.hasNext()) {
      batch.add(it.next());
    }
    return batch;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading rows", e);
    }
  }

  /** Measures one batch. */
  List<ExampleLengths> measureBatch(List<FormattedExample> batch) {
    List<String> texts = new ArrayList<>(batch.size());
    for (FormattedExample e : batch) {
      texts.add(e.text());
    }
    List<int[]> fullIds = tok.batchIds(texts, true);
    int[] completions = null;
    if (exactCompletion || openId < 0 || !checked) {
      // all completions when exact; only the first CHECK_ROWS when checking the derivation
      int n = exactCompletion || openId < 0 ? batch.size() : Math.min(CHECK_ROWS, batch.size());
      List<String> comps = new ArrayList<>(n);
      for (FormattedExample e : batch.subList(0, n)) {
        comps.add(e.completion());
      }
      completions = tok.batchCounts(comps, false);
    }
    List<ExampleLengths> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      FormattedExample e = batch.get(i);
      int[] ids = fullIds.get(i);
      int openAt = completionOpenAt(e, ids);
      int derived = derivedCompletion(e, ids, openAt);
      int completion;
      if (completions != null && i < completions.length) {
        completion = completions[i];
        if (!checked && derived != completion) {
          exactCompletion = true; // this tokenizer merges across the boundary: count completions separately
        }
      } else if (derived >= 0 && !exactCompletion) {
        completion = derived;
      } else {
        completion = tok.ids(e.completion(), false).length; // no <think> in this completion: count it directly
      }
      int endThinkAt = closeId >= 0 ? lastIndexOf(ids, closeId) : endOfLast(e.text(), "</think>");
      int closeStart = closeId >= 0 ? endThinkAt : byOffsets(e.text(), e.text().lastIndexOf("</think>"));
      int eosAt = eosId >= 0 ? lastIndexOf(ids, eosId) : endOfLast(e.text(), format.eos());
      int thinking = openAt >= 0 && closeStart > openAt ? closeStart - openAt - 1 : 0;
      int solution = endThinkAt >= 0 && eosAt > endThinkAt ? eosAt - endThinkAt - 1 : 0;
      out.add(new ExampleLengths(e.id(), ids.length - completion, thinking, solution, completion, ids.length,
          endThinkAt, eosAt));
    }
    checked = true;
    return out;
  }

  /** Index in the full ids of the completion's first {@code <think>}, or -1. */
  private int completionOpenAt(FormattedExample e, int[] ids) {
    String text = e.text();
    int start = e.span(Segment.PROMPT).end();
    int first = text.indexOf("<think>", start);
    if (first < 0) {
      return -1;
    }
    if (openId < 0) {
      return byOffsets(text, first);
    }
    int inCompletion = count(text, "<think>", first);
    int total = 0;
    for (int id : ids) {
      total += id == openId ? 1 : 0;
    }
    int wanted = total - inCompletion; // 0-based occurrence of the completion's first <think>
    int seen = 0;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == openId && seen++ == wanted) {
        return i;
      }
    }
    return -1;
  }

  /** Completion length from the full ids (see the class comment), or -1 when it cannot be derived. */
  private int derivedCompletion(FormattedExample e, int[] ids, int openAt) {
    if (openId < 0 || openAt < 0) {
      return -1;
    }
    String text = e.text();
    int start = e.span(Segment.PROMPT).end();
    String head = text.substring(start, text.indexOf("<think>", start));
    int headTokens = headCounts.computeIfAbsent(head, h -> h.isEmpty() ? 0 : tok.ids(h, false).length);
    return ids.length - suffixAdded - openAt + headTokens;
  }

  /** The token holding the last character of the last {@code marker} in {@code text}: all of it is in; or -1. */
  private int endOfLast(String text, String marker) {
    int c = text.lastIndexOf(marker);
    return c < 0 ? -1 : byOffsets(text, c + marker.length() - 1);
  }

  private int byOffsets(String text, int charIndex) {
    return charIndex < 0 ? -1 : tok.tokenAt(text, charIndex, true);
  }

  private static int lastIndexOf(int[] ids, int id) {
    for (int i = ids.length - 1; i >= 0; i--) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }

  private static int count(String s, String sub, int from) {
    int n = 0;
    for (int i = s.indexOf(sub, from); i >= 0; i = s.indexOf(sub, i + sub.length())) {
      n++;
    }
    return n;
  }

  /** How many ids the post-processor appends after the text (EOS for tokenizers with add_eos_token). */
  private static int suffixAdded(Tokenizer tok) {
    int[] with = tok.ids("a", true);
    int[] without = tok.ids("a", false);
    for (int start = 0; start + without.length <= with.length; start++) {
      boolean match = true;
      for (int j = 0; j < without.length && match; j++) {
        match = with[start + j] == without[j];
      }
      if (match) {
        return with.length - start - without.length;
      }
    }
    return 0;
  }

  /** Builder: {@code setTokenizer} required; format, batch size, micro-batch and exact completion optional. */
  public static final class Builder {
    private Tokenizer tokenizer;
    private TrainingFormat format;
    private int batchSize = 256;
    private int microBatch = 1;
    private boolean exactCompletion;

    private Builder() {}

    /** The tokenizer to count with (required). */
    public Builder setTokenizer(Tokenizer tokenizer) {
      this.tokenizer = tokenizer;
      return this;
    }

    /** The training format; default {@code TrainingFormat.plain(tokenizer.eosToken())}. */
    public Builder optFormat(TrainingFormat format) {
      this.format = format;
      return this;
    }

    /** Examples encoded per call into the Rust core (default 256); only this many rows' ids are in memory. */
    public Builder optBatchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be at least 1");
      }
      this.batchSize = batchSize;
      return this;
    }

    /** The micro-batch size padding waste is computed for (default 1: no padding). */
    public Builder optMicroBatch(int microBatch) {
      if (microBatch < 1) {
        throw new IllegalArgumentException("micro-batch must be at least 1");
      }
      this.microBatch = microBatch;
      return this;
    }

    /** Encode every completion separately instead of deriving its length (about 1.9x the work). */
    public Builder optExactCompletion(boolean exact) {
      this.exactCompletion = exact;
      return this;
    }

    public Diagnoser build() {
      return new Diagnoser(this);
    }
  }
}
