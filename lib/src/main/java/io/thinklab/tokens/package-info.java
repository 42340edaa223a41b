/**
 * Tokens: load a Hugging Face tokenizer for counting (truncation off, no padding, ids-only fast path), check that
 * {@code <think>}, {@code </think>} and EOS are single tokens, and read {@code tokenizer_config.json}.
 *
 * <p>Start with {@link io.thinklab.tokens.Tokenizer#load(java.nio.file.Path)}; the lab's offline default is
 * {@code data/tokenizers/qwen3} (fetched by {@code environment/lab}). The tiny thinker's own word-level tokenizer is
 * committed in {@code data/tiny-tokenizer} and built by {@link io.thinklab.tokens.TinyTokenizerBuilder}.
 */
package io.thinklab.tokens;
