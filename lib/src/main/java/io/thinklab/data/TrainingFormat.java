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
 *
 * <p>Three formats: {@link #plain(String)} (the seed's), {@link #chatml(String)} (Qwen-style chat turns, for
 * models that already speak ChatML) and {@link #template(String, String, String)} (the model's own Jinja chat
 * template, which is what a chat model will see at inference; {@code TokenizerConfig#trainingFormat()} reads it from
 * {@code tokenizer_config.json}). Every format gives exact spans for all six segments.
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

  /** The ChatML end-of-turn token, which is also the stop token of Qwen's chat models. */
  public static final String IM_END = "<|im_end|>";

  /**
   * Qwen-style ChatML, exactly (fields stripped):
   * <pre>
   * &lt;|im_start|&gt;user\n{problem}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n     (prompt, masked)
   * &lt;think&gt;\n{thinking}\n&lt;/think&gt;\n\n{solution}&lt;|im_end|&gt;              (completion, trained)
   * </pre>
   * The EOS segment is {@code <|im_end|>} when {@code eos} is empty or {@code <|im_end|>}; otherwise it is
   * {@code <|im_end|>\n} followed by {@code eos} (e.g. Qwen3 base's {@code <|endoftext|>}), as a chat template
   * ends the turn and the trainer then appends the tokenizer's EOS. As in Hugging Face's trainers, the prompt
   * ends with the assistant header, so the trained completion starts at {@code <think>}.
   */
  public static TrainingFormat chatml(String eos) {
    return new TrainingFormat("chatml", eos, (t, e) -> new TextBuilder()
        .add(Segment.PROMPT, "<|im_start|>user\n" + t.problem().strip() + IM_END + "\n<|im_start|>assistant\n")
        .add(Segment.THINK_OPEN, "<think>\n")
        .add(Segment.THINKING, t.thinking().strip())
        .add(Segment.THINK_CLOSE, "\n</think>\n\n")
        .add(Segment.SOLUTION, t.solution().strip())
        .add(Segment.EOS, e.isEmpty() || e.equals(IM_END) ? IM_END : IM_END + "\n" + e)
        .build(t.id()));
  }

  /** {@link #chatml(String)} ending with {@code <|im_end|>} alone. */
  public static TrainingFormat chatml() {
    return chatml(IM_END);
  }

  /**
   * A Jinja chat template given as text. The user turn holds the problem; the assistant turn holds the solution
   * as {@code content} and the thinking as {@code reasoning_content} (inline {@code <think>…</think>} when the
   * template ignores {@code reasoning_content}). PROMPT is the template's rendering with
   * {@code add_generation_prompt=true}; EOS is what the template writes after the solution, followed by
   * {@code eos} unless that text already contains it.
   *
   * @param template Jinja source
   * @param eos      end-of-sequence text (null or empty: none appended)
   * @param bos      the {@code bos_token} variable the template sees (null: empty)
   */
  public static TrainingFormat template(String template, String eos, String bos) {
    return template(template, eos, bos, "chat template");
  }

  /** The same, {@code origin} naming where the template came from in messages. */
  public static TrainingFormat template(String template, String eos, String bos, String origin) {
    ChatTemplateRenderer renderer = new ChatTemplateRenderer(template, eos, bos, origin);
    return new TrainingFormat("template", eos == null ? "" : eos, (t, e) -> renderer.format(t));
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
