package io.thinklab.generate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * Text to token ids and back: what the generator needs of a tokenizer. Use {@link #of(HuggingFaceTokenizer,
 * boolean)} for a real tokenizer; tests use a character-level codec.
 */
public interface TextCodec {

  /** The ids of a prompt, encoded as training encoded its text (same special tokens). */
  long[] encode(String text);

  /** The text of generated ids, special tokens kept (so {@code </think>} shows even when it is an added token). */
  String decode(long[] ids);

  /**
   * A Hugging Face tokenizer as a codec.
   *
   * @param addSpecialTokens whether encoding adds BOS, as it did when the model was trained
   */
  static TextCodec of(HuggingFaceTokenizer tokenizer, boolean addSpecialTokens) {
    return new TextCodec() {
      @Override
      public long[] encode(String text) {
        return tokenizer.encode(text, addSpecialTokens, false).getIds();
      }

      @Override
      public String decode(long[] ids) {
        return tokenizer.decode(ids, false);
      }
    };
  }
}
