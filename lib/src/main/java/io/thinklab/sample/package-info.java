/**
 * The lab's synthetic sample data: verifiable problems with reasoning traces written by templates in the shape
 * and length of the seed's two teachers (Opus-style structured, GLM-style exploratory with a long tail), at full
 * scale or at 1/8 ("mini") for CPU-sized models.
 *
 * <p>Use it when the real distilled datasets are out of reach (offline, CI) or when a lesson needs data whose
 * lengths and answers are known exactly. Entry points: {@link io.thinklab.sample.SampleGenerator} (rows in
 * memory), {@link io.thinklab.sample.SampleFiles} (JSONL, {@code .gz}), {@link io.thinklab.sample.LengthProfile}
 * (the length figures), {@link io.thinklab.data.FinalAnswer} (the {@code Final answer:} line every sample ends with, and the grading rule). The
 * traces are honest filler, not model outputs; every row says {@code "synthetic": true}.
 */
package io.thinklab.sample;
