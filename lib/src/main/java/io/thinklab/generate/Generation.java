package io.thinklab.generate;

/**
 * One sample's output.
 *
 * @param sample          its index in the batch
 * @param ids             generated token ids (the EOS token excluded)
 * @param text            the generated text, cut where a stop string or the seed's rule fired
 * @param reason          the rule that stopped it
 * @param thinkCloseToken how many tokens it took to complete the first {@code </think>}; −1 if never
 */
public record Generation(int sample, long[] ids, String text, StopReason reason, int thinkCloseToken) {

  /** Tokens generated (EOS not counted). */
  public int newTokens() {
    return ids.length;
  }

  /** Whether the reasoning was closed with {@code </think>}. */
  public boolean closed() {
    return thinkCloseToken >= 0;
  }

  /** Text before the first {@code </think>} (all of it when never closed). */
  public String thinking() {
    int i = text.indexOf(ThinkStop.CLOSE);
    return i < 0 ? text : text.substring(0, i);
  }

  /** Text after the first {@code </think>}; empty when never closed. */
  public String solution() {
    int i = text.indexOf(ThinkStop.CLOSE);
    return i < 0 ? "" : text.substring(i + ThinkStop.CLOSE.length());
  }

  /** The text with its stop reason, as HTML for a notebook cell (the kernel renders {@code toHtml()}). */
  public String toHtml() {
    String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    return "<pre style=\"white-space: pre-wrap\">" + escaped + "</pre><p><b>stop:</b> " + reason.key() + " after "
        + newTokens() + " tokens" + (closed() ? ", &lt;/think&gt; at token " + thinkCloseToken : ", no &lt;/think&gt;")
        + "</p>";
  }
}
