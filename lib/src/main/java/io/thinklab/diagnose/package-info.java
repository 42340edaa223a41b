/**
 * Diagnosis: how long every training example is in tokens, what a cutoff ({@code max_length}) cuts, and what to
 * do about it — on the whole corpus, streaming, before any GPU is rented.
 *
 * <p>Start with {@link io.thinklab.diagnose.Diagnoser}; read results from {@link io.thinklab.diagnose.Diagnosis}
 * ({@code toJson()} holds the seed's {@code token_length_analysis.json} keys); plot with
 * {@link io.thinklab.diagnose.LengthCharts}.
 */
package io.thinklab.diagnose;
