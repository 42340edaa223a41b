package io.thinklab.data;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * How a {@link Triplet} becomes the exact text a model is trained on.
 *
 * <p>The format decides what the model learns to produce. {@link #plain(String)} is the seed experiment's
 * format, kept byte for byte so results compare with its published numbers:
 * <pre>
 * User: {problem}\n                                   (prompt, masked from the loss)
 * Assistant: &lt;think&gt;\n{thinking}\n&lt;/think&gt;\n{solution}{EOS}  (completion, trained)
 * </pre>
 * Fields are stripped of surrounding white space, as the seed did. The EOS must be the tokenizer's own
 * end-of-sequence token text (e.g. {@code </s>} for Nanbeige, {@code <|endoftext|>} for Qwen3) so that it
 * encodes to that single special token: a model that never sees it trained never learns to stop.
 */
public final class TrainingFormat {

  /** The EOS text the seed used with Nanbeige's tokenizer; the default when no tokenizer is given. */
  public static final String SEED_EOS = "</s>";

  private final String name;
  private final String eos;
  private final BiFunction<Triplet, String, FormattedExample> render;

  private TrainingFormat(String name, String eos, BiFunction<Triplet, String, FormattedExample> render) {
    this.name = name;
    this.eos = Objects.requireNonNull(eos, "eos");
    this.render = render;
  }

  /** The seed's format: {@code User: …\nAssistant: <think>\n…\n</think>\n…} followed by {@code eos}. */
  public static TrainingFormat plain(String eos) {
    return new TrainingFormat("plain", eos, (t, e) -> new TextBuilder()
        .add(Segment.PROMPT, "User: " + t.problem().strip() + "\n")
        .add(Segment.THINK_OPEN, "Assistant: <think>\n")
        .add(Segment.THINKING, t.thinking().strip())
        .add(Segment.THINK_CLOSE, "\n</think>\n")
        .add(Segment.SOLUTION, t.solution().strip())
        .add(Segment.EOS, e)
        .build(t.id()));
  }

  /** {@link #plain(String)} with the seed's {@code </s>}. */
  public static TrainingFormat plain() {
    return plain(SEED_EOS);
  }

  /** Renders one triplet. */
  public FormattedExample format(Triplet triplet) {
    return render.apply(triplet, eos);
  }

  /** The format's name as the CLI and run files spell it ({@code plain}, {@code chatml}, {@code template}). */
  public String name() {
    return name;
  }

  /** The end-of-sequence text appended after the solution. */
  public String eos() {
    return eos;
  }

  @Override
  public String toString() {
    return "TrainingFormat[" + name + ", eos=" + eos + "]";
  }
}
