/**
 * Training curves: read a run's history, smooth it, draw it and read it in plain language.
 *
 * <p>Start with {@link io.thinklab.curves.Metrics#read(java.nio.file.Path)}, which reads ThinkLab's
 * {@code metrics.jsonl} or a Hugging Face {@code trainer_state.json} into a {@link io.thinklab.curves.RunHistory}.
 * {@link io.thinklab.curves.Readings} turns a history into {@link io.thinklab.curves.Finding}s ("still falling
 * steeply at the end", "epoch-2 drop"), each tied to the numbers and thresholds that triggered it;
 * {@link io.thinklab.curves.CurveFigures} draws interactive Plotly figures and {@link io.thinklab.curves.CurvePng}
 * writes the same curves as a static PNG, headless.
 */
package io.thinklab.curves;
