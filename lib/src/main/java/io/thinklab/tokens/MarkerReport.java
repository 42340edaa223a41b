package io.thinklab.tokens;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the three texts that thinking SFT depends on ({@code <think>}, {@code </think>} and the EOS token) are
 * single tokens of a tokenizer, as the seed's script asserted before training.
 *
 * <p>When a marker is one token, the model learns one decision ("close the reasoning now", "stop now") and the
 * diagnosis counts its position exactly from the ids. When it is split into several ordinary tokens, the model has
 * to learn a spelling instead; at generation time the marker may come out half-written and a stop criterion on a
 * single id never fires. Add the marker as a special token (and resize the embeddings) before training.
 *
 * @param thinkOpen  the {@code <think>} marker
 * @param thinkClose the {@code </think>} marker
 * @param eos        the end-of-sequence token
 */
public record MarkerReport(Marker thinkOpen, Marker thinkClose, Marker eos) {

  /**
   * One marker and how the tokenizer encodes it.
   *
   * @param text the marker's text
   * @param ids  the ids it encodes to
   */
  public record Marker(String text, int[] ids) {
    /** True when the marker is exactly one token. */
    public boolean single() {
      return ids.length == 1;
    }

    /** Its id when single, else -1. */
    public int id() {
      return single() ? ids[0] : -1;
    }

    /** One line: {@code </think> -> id 151668 (single token)} or the split and what it means. */
    public String describe() {
      if (single()) {
        return text + " -> id " + ids[0] + " (single token)";
      }
      return text + " -> " + ids.length + " tokens " + java.util.Arrays.toString(ids)
          + ": NOT a single token; the model must learn to spell it and positions come from offsets";
    }
  }

  /** Encodes the three markers with {@code tok}; EOS is the config's {@code eos_token}. */
  public static MarkerReport of(Tokenizer tok) {
    return new MarkerReport(marker(tok, "<think>"), marker(tok, "</think>"), marker(tok, tok.eosToken()));
  }

  private static Marker marker(Tokenizer tok, String text) {
    return new Marker(text, tok.ids(text, false));
  }

  /** True when all three are single tokens. */
  public boolean allSingle() {
    return thinkOpen.single() && thinkClose.single() && eos.single();
  }

  /** One line per marker, then what to do when one is split. */
  public List<String> lines() {
    List<String> out = new ArrayList<>(List.of(thinkOpen.describe(), thinkClose.describe(), eos.describe()));
    if (!allSingle()) {
      out.add("fix: add the split markers to the tokenizer as special tokens and resize the model's embeddings;"
          + " a stop criterion on one EOS id never fires otherwise");
    }
    return out;
  }
}
