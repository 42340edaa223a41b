package io.thinklab.data;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a triplet with a model's own Jinja {@code chat_template} (Jinjava), with exact spans.
 *
 * <p>The template is rendered once with unique sentinel strings in place of problem, thinking and solution,
 * and once more for the prompt alone with {@code add_generation_prompt=true}. The text between the sentinels is
 * the skeleton every example shares; an example is the skeleton with its own fields put back, so each span is
 * known exactly. Each example is then rendered for real and compared with the assembled text: a template that
 * rewrites field text (e.g. splits on {@code </think>}) fails loudly instead of giving wrong spans.
 *
 * <p>The environment follows Hugging Face's: {@code trim_blocks} and {@code lstrip_blocks} on, {@code {{- -}}}
 * trimming, Python operator precedence, variables
 * {@code messages}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token}, and a
 * {@code raise_exception(message)} function. The assistant turn carries the thinking as
 * {@code reasoning_content}; a template that ignores it gets {@code <think>…</think>} inline in the content.
 */
final class ChatTemplateRenderer {
  private static final String P = "\u2063@@ThinkLab-problem@@\u2063";
  private static final String T = "\u2063@@ThinkLab-thinking@@\u2063";
  private static final String S = "\u2063@@ThinkLab-solution@@\u2063";
  private static final ThreadLocal<String> RAISED = new ThreadLocal<>();

  private final Jinjava jinja;
  private final String template;
  private final String eos;
  private final String bos;
  private final String origin;
  private final boolean inline;
  private final String[] skeleton; // before P, P..promptEnd, promptEnd..T, T..S, after S

  ChatTemplateRenderer(String template, String eos, String bos, String origin) {
    this.template = template;
    this.eos = eos == null ? "" : eos;
    this.bos = bos == null ? "" : bos;
    this.origin = origin;
    // Closest to Hugging Face's jinja2 environment: {{- -}} trimming and Python operator precedence.
    this.jinja = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
        .withLegacyOverrides(LegacyOverrides.newBuilder().withUseTrimmingForNotesAndExpressions(true)
            .withParseWhitespaceControlStrictly(true).withUseNaturalOperatorPrecedence(true).build())
        .build());
    jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
        ChatTemplateRenderer.class, "raiseException", String.class));
    String full = render(messages(P, T, S, false), false);
    boolean inlined = !full.contains(T);
    if (inlined) {
      full = render(messages(P, T, S, true), false);
      if (!full.contains(T)) {
        throw new IllegalArgumentException(origin + ": the chat template drops the thinking: neither the assistant's "
            + "reasoning_content nor an inline <think>…</think> in its content appears in the rendered text");
      }
    }
    this.inline = inlined;
    String prompt = render(List.of(Map.of("role", "user", "content", P)), true);
    if (!full.startsWith(prompt)) {
      throw new IllegalArgumentException(origin + ": the prompt rendered with add_generation_prompt=true is not a "
          + "prefix of the whole conversation, so prompt and completion cannot be split");
    }
    int p = once(full, P, "problem");
    int t = once(full, T, "thinking");
    int s = once(full, S, "solution");
    int promptEnd = prompt.length();
    if (!(p + P.length() <= promptEnd && promptEnd <= t && t < s)) {
      throw new IllegalArgumentException(origin + ": the chat template puts problem, thinking and solution out of "
          + "order or the thinking inside the prompt; cannot place spans");
    }
    skeleton = new String[] {full.substring(0, p), full.substring(p + P.length(), promptEnd),
        full.substring(promptEnd, t), full.substring(t + T.length(), s), full.substring(s + S.length())};
  }

  FormattedExample format(Triplet t) {
    String problem = t.problem().strip();
    String thinking = t.thinking().strip();
    String solution = t.solution().strip();
    String tail = skeleton[4] + (eos.isEmpty() || skeleton[4].contains(eos) ? "" : eos);
    FormattedExample ex = new TextBuilder()
        .add(Segment.PROMPT, skeleton[0] + problem + skeleton[1])
        .add(Segment.THINK_OPEN, skeleton[2])
        .add(Segment.THINKING, thinking)
        .add(Segment.THINK_CLOSE, skeleton[3])
        .add(Segment.SOLUTION, solution)
        .add(Segment.EOS, tail)
        .build(t.id());
    String real = render(messages(problem, thinking, solution, inline), false);
    String assembled = ex.text().substring(0, ex.text().length() - tail.length() + skeleton[4].length());
    if (!real.equals(assembled)) {
      throw new IllegalArgumentException(origin + ": the chat template changes the text of example " + t.id()
          + " (" + t.source() + ") beyond the field values, e.g. by trimming or splitting them; spans would be wrong");
    }
    return ex;
  }

  /** Called by templates as {@code raise_exception('…')}. */
  public static String raiseException(String message) {
    RAISED.set(message);
    throw new IllegalStateException(message);
  }

  private String render(List<Map<String, Object>> messages, boolean addGenerationPrompt) {
    Map<String, Object> ctx = new HashMap<>();
    ctx.put("messages", messages);
    ctx.put("add_generation_prompt", addGenerationPrompt);
    ctx.put("bos_token", bos);
    ctx.put("eos_token", eos);
    RAISED.remove();
    RenderResult r = jinja.renderForResult(template, ctx);
    List<String> fatal = new ArrayList<>();
    for (TemplateError e : r.getErrors()) {
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        fatal.add("near line " + e.getLineno() + ": " + e.getMessage()
            + (e.getFieldName() == null ? "" : " [in: " + e.getFieldName() + "]"));
      }
    }
    String raised = RAISED.get();
    RAISED.remove();
    if (raised != null) {
      throw new IllegalArgumentException(origin + ": the chat template raised an exception: " + raised);
    }
    if (!fatal.isEmpty()) {
      throw new IllegalArgumentException(origin + ": the chat template uses something Jinjava cannot render: "
          + String.join("; ", fatal));
    }
    return r.getOutput();
  }

  private static List<Map<String, Object>> messages(String problem, String thinking, String solution, boolean inline) {
    Map<String, Object> assistant = new HashMap<>();
    assistant.put("role", "assistant");
    if (inline) {
      assistant.put("content", "<think>\n" + thinking + "\n</think>\n\n" + solution);
    } else {
      assistant.put("content", solution);
      assistant.put("reasoning_content", thinking);
    }
    return List.of(Map.of("role", "user", "content", problem), assistant);
  }

  private int once(String text, String sentinel, String field) {
    int at = text.indexOf(sentinel);
    if (at < 0 || text.indexOf(sentinel, at + 1) >= 0) {
      throw new IllegalArgumentException(origin + ": the chat template renders the " + field + " "
          + (at < 0 ? "nowhere, or changes its text (e.g. with a filter)" : "more than once") + "; cannot place its span");
    }
    return at;
  }
}
