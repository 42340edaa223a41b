/**
 * Comparing teachers: what distinguishes one dataset of reasoning traces from another, measured.
 *
 * <p>{@link io.thinklab.compare.TeacherComparison} loads datasets with {@link io.thinklab.data.Dataset} and profiles N datasets of {@link io.thinklab.data.Triplet}s
 * (lengths, structure and behaviour per 1,000 tokens, loops, answer format and correctness) into
 * {@link io.thinklab.compare.DatasetProfile}s, states the largest {@link io.thinklab.compare.Difference}s in
 * plain words and draws the length distributions side by side. {@link io.thinklab.compare.TraceFeatures} and
 * {@link io.thinklab.data.FinalAnswer} are the per-trace measurements underneath, usable on their own.
 */
package io.thinklab.compare;
