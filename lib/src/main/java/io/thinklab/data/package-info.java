/**
 * Data: (problem, thinking, solution) {@link io.thinklab.data.Triplet}s, how to load and validate them, and how
 * they become training text.
 *
 * <ul>
 *   <li>{@link io.thinklab.data.Dataset}: load JSONL, gzipped JSONL, Parquet or a Hugging Face dataset,
 *       strict or lenient, with the seed's filter; returns a {@link io.thinklab.data.LoadResult} that lists every
 *       {@link io.thinklab.data.Reject} by file, line and {@link io.thinklab.data.RejectReason}.</li>
 *   <li>{@link io.thinklab.data.FieldMapping}: which fields hold problem, thinking and solution.</li>
 *   <li>{@link io.thinklab.data.TrainingFormat}: plain (the seed's), ChatML, or the model's own chat template,
 *       each with exact {@link io.thinklab.data.Span}s per {@link io.thinklab.data.Segment}.</li>
 *   <li>{@link io.thinklab.data.Splits}: deterministic shuffle, selection and train/eval split.</li>
 *   <li>{@link io.thinklab.data.TextLengths} and {@link io.thinklab.data.LengthStats}: a first look at lengths.</li>
 * </ul>
 */
package io.thinklab.data;
