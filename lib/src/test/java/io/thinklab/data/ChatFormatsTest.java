package io.thinklab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.tokens.TokenizerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatFormatsTest {
  private static final Triplet T = Triplet.of("t1", " What is 15% of 80?\n",
      "\n15% is 0.15. 0.15 × 80 = 12.\nCheck: 10% is 8, 5% is 4, 8 + 4 = 12. ", " **12**\n");

  /** Every span holds exactly its segment, and the spans tile the text. */
  static void assertExactSpans(FormattedExample ex, Triplet t) {
    assertEquals(t.problem().strip(), ex.segmentText(Segment.PROMPT).substring(
        ex.segmentText(Segment.PROMPT).indexOf(t.problem().strip()),
        ex.segmentText(Segment.PROMPT).indexOf(t.problem().strip()) + t.problem().strip().length()));
    assertEquals(t.thinking().strip(), ex.segmentText(Segment.THINKING));
    assertEquals(t.solution().strip(), ex.segmentText(Segment.SOLUTION));
    int pos = 0;
    for (Span s : ex.spans()) {
      assertEquals(pos, s.start(), "gap before " + s.segment());
      pos = s.end();
    }
    assertEquals(ex.text().length(), pos);
    assertEquals(List.of(Segment.values()), ex.spans().stream().map(Span::segment).toList());
  }

  @Test
  void chatmlIsExactlyQwenStyle() {
    FormattedExample ex = TrainingFormat.chatml().format(T);
    assertEquals("<|im_start|>user\nWhat is 15% of 80?<|im_end|>\n<|im_start|>assistant\n"
        + "<think>\n15% is 0.15. 0.15 × 80 = 12.\nCheck: 10% is 8, 5% is 4, 8 + 4 = 12.\n</think>\n\n**12**<|im_end|>",
        ex.text());
    assertEquals("<think>\n", ex.segmentText(Segment.THINK_OPEN));
    assertEquals("\n</think>\n\n", ex.segmentText(Segment.THINK_CLOSE));
    assertEquals("<|im_end|>", ex.segmentText(Segment.EOS));
    assertTrue(ex.prompt().endsWith("<|im_start|>assistant\n"));
    assertExactSpans(ex, T);
    assertEquals("<|im_end|>\n<|endoftext|>", TrainingFormat.chatml("<|endoftext|>").format(T).segmentText(Segment.EOS));
  }

  @Test
  void plainSpansAreExactToo() {
    assertExactSpans(TrainingFormat.plain("</s>").format(T), T);
  }

  @Test
  void realShapedTemplateFromTokenizerConfig() {
    TokenizerConfig cfg = TokenizerConfig.read(Fixtures.resource("tokenizer-chatml"));
    TrainingFormat fmt = cfg.trainingFormat();
    FormattedExample ex = fmt.format(T);
    // The template is ChatML: same text as chatml(), plus the newline the template writes after <|im_end|>.
    assertEquals(TrainingFormat.chatml().format(T).text() + "\n", ex.text());
    assertEquals("<|im_end|>\n", ex.segmentText(Segment.EOS), "EOS already in the tail: not appended twice");
    assertEquals(TrainingFormat.chatml().format(T).prompt(), ex.prompt());
    assertExactSpans(ex, T);
    assertEquals("template", fmt.name());
  }

  @Test
  void templateAppendsEosWhenItsTailLacksIt() throws Exception {
    String tpl = Files.readString(Fixtures.resource("chat_template.jinja"));
    FormattedExample ex = TrainingFormat.template(tpl, "<|endoftext|>", null).format(T);
    assertEquals("<|im_end|>\n<|endoftext|>", ex.segmentText(Segment.EOS));
    assertExactSpans(ex, T);
  }

  @Test
  void templateWithoutReasoningContentGetsInlineThink() {
    String tpl = "{% for m in messages %}<{{ m.role }}>{{ m.content }}</{{ m.role }}>\n{% endfor %}"
        + "{% if add_generation_prompt %}<assistant>{% endif %}";
    FormattedExample ex = TrainingFormat.template(tpl, "</s>", "<s>").format(T);
    assertTrue(ex.prompt().endsWith("</user>\n<assistant>"), ex.prompt());
    assertEquals("<think>\n", ex.segmentText(Segment.THINK_OPEN));
    assertEquals("\n</think>\n\n", ex.segmentText(Segment.THINK_CLOSE));
    assertEquals("</assistant>\n</s>", ex.segmentText(Segment.EOS));
    assertExactSpans(ex, T);
  }

  @Test
  void raiseExceptionIsReportedWithItsMessage() {
    String tpl = "{%- for m in messages %}{%- if m.role == 'assistant' %}"
        + "{{- raise_exception('This template cannot show assistant turns') }}{%- endif %}{%- endfor %}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingFormat.template(tpl, "</s>", null));
    assertTrue(e.getMessage().contains("raised an exception: This template cannot show assistant turns"),
        e.getMessage());
  }

  @Test
  void unsupportedFeaturesAreNamedWithTheirLine() {
    String tpl = "{%- for m in messages %}\n{{ m.content }}\n{%- endfor %}\n"
        + "{%- if messages[0].content.startswith('x') %}X{% endif %}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingFormat.template(tpl, "</s>", null));
    assertTrue(e.getMessage().contains("cannot render"), e.getMessage());
    assertTrue(e.getMessage().contains("startswith"), e.getMessage());
    assertTrue(e.getMessage().contains("line "), e.getMessage());

    String slicing = "{%- for m in messages[::-1] %}{{ m.content }}{%- endfor %}";
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> TrainingFormat.template(slicing, "</s>", null));
    assertTrue(e2.getMessage().contains("[::-1]") || e2.getMessage().contains(":-1]"), e2.getMessage());
  }

  @Test
  void templateThatDropsThinkingIsRefused() {
    String tpl = "{% for m in messages %}{% if m.role == 'user' %}{{ m.content }}{% endif %}{% endfor %}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingFormat.template(tpl, "</s>", null));
    assertTrue(e.getMessage().contains("drops the thinking"), e.getMessage());
  }

  @Test
  void templateThatRewritesFieldTextIsCaughtPerExample() {
    // These templates rewrite field text: spans would lie, so the format refuses (when built, or per example).
    String upper = "{% for m in messages %}{% if m.role == 'user' %}U:{{ m.content }}\n{% else %}"
        + "A:<think>{{ m.reasoning_content }}</think>{{ m.content|upper }}\n{% endif %}{% endfor %}"
        + "{% if add_generation_prompt %}A:{% endif %}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingFormat.template(upper, "</s>", null));
    assertTrue(e.getMessage().contains("renders the solution nowhere, or changes its text"), e.getMessage());

    String firstLine = "{% for m in messages %}{% if m.role == 'user' %}U:{{ m.content }}\n{% else %}"
        + "A:<think>{{ m.reasoning_content }}</think>{{ m.content.split('\n')[0] }}\n{% endif %}{% endfor %}"
        + "{% if add_generation_prompt %}A:{% endif %}";
    TrainingFormat fmt = TrainingFormat.template(firstLine, "</s>", null);
    assertEquals("<think>", fmt.format(T).segmentText(Segment.THINK_OPEN));
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> fmt.format(Triplet.of("t2", "Q", "long enough thinking here", "line one\nline two")));
    assertTrue(e2.getMessage().contains("changes the text of example t2"), e2.getMessage());
  }

  @Test
  void configWithoutTemplateIsNamed() {
    TokenizerConfig none = new TokenizerConfig("<s>", "</s>", null, true, false, null, null, "x/tokenizer_config.json");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> none.trainingFormat());
    assertTrue(e.getMessage().contains("x/tokenizer_config.json: tokenizer config has no chat_template"));
  }
}
