package io.thinklab.sample;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes synthetic thinking-SFT triplets: verifiable problems with reasoning in the style of one teacher, at
 * full or mini length. These are stand-ins for the seed's distilled datasets, written by templates, not by a
 * model.
 *
 * <p>Deterministic: attempt {@code i} uses its own {@link SplittableRandom} seeded from {@code (seed, i)}, so the
 * same settings always give the same rows, and the first {@code n} rows of a longer run equal a run of {@code n}.
 * Output does not depend on the JVM's locale or platform (templates use {@code %s}, lengths use {@link StrictMath}).
 * By default it writes only training problems: one problem text in ten is held out for evaluation ({@link Split}).
 * <pre>{@code
 * List<SampleRow> rows = SampleGenerator.of(Style.OPUS, Scale.MINI, 42).generate(100);
 * }</pre>
 */
public final class SampleGenerator {

  /** Overhead of the plain format around problem, thinking and solution, in characters (incl. {@code </s>}). */
  static final int PLAIN_OVERHEAD = "User: \nAssistant: <think>\n\n</think>\n</s>".length();

  /** Redraws for an Opus row whose problem runs out of new checks: 2 other problems, then 2 to 8 parts. */
  static final int OPUS_REDRAWS = 9;

  private final Style style;
  private final Scale scale;
  private final long seed;
  private String idPrefix;
  private final Set<String> excluded = new HashSet<>();
  private boolean distinct;
  private Split split = Split.TRAIN;

  private SampleGenerator(Style style, Scale scale, long seed) {
    this.style = style;
    this.scale = scale;
    this.seed = seed;
    this.idPrefix = style.name().toLowerCase(java.util.Locale.ROOT) + "-" + scale.label() + "-s" + seed;
  }

  /** A generator for one style, scale and seed; ids default to {@code <style>-<scale>-s<seed>-00001}. */
  public static SampleGenerator of(Style style, Scale scale, long seed) {
    return new SampleGenerator(style, scale, seed);
  }

  /** Uses {@code prefix} for ids ({@code prefix-00001}, …), e.g. to keep eval ids apart from training ids. */
  public SampleGenerator optIdPrefix(String prefix) {
    this.idPrefix = prefix;
    return this;
  }

  /** Skips problems whose text is in {@code problems} (held-out sets stay disjoint from training sets). */
  public SampleGenerator optExclude(Set<String> problems) {
    excluded.addAll(problems);
    return this;
  }

  /** Draws from the training part (default), the held-out evaluation part, or all problems; see {@link Split}. */
  public SampleGenerator optSplit(Split split) {
    this.split = split;
    return this;
  }

  /** Skips a problem whose text was already written to this output (no repeated questions). */
  public SampleGenerator optDistinct(boolean distinct) {
    this.distinct = distinct;
    return this;
  }

  /** Whether {@code p} belongs to this output: in the split, not excluded, not a repeat when distinct. */
  private boolean admits(Problem p, Set<String> seen) {
    return split.admits(p.text()) && !excluded.contains(p.text()) && (!distinct || seen.add(p.text()));
  }

  /** Generates {@code rows} rows. */
  public List<SampleRow> generate(int rows) {
    List<SampleRow> out = new ArrayList<>(rows);
    Set<String> seen = new HashSet<>();
    int limit = 1000 * Math.max(rows, 1);
    for (long attempt = 0; out.size() < rows; attempt++) {
      if (attempt >= limit) {
        throw new IllegalStateException("only " + out.size() + " of " + rows
            + " rows found that are not excluded; the problem space is too small for these settings");
      }
      SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + attempt);
      Problem p;
      Written w;
      if (scale.mini()) { // the mini scale's own problems and teachers: steps a tiny model can compute
        p = ChainProblems.next(rnd);
        if (!admits(p, seen)) {
          continue;
        }
        w = ChainWriter.write(p, style, rnd);
      } else if (style == Style.OPUS) {
        p = ProblemKind.any(rnd, false);
        // The structured teacher never repeats itself, so a long target needs a problem with enough to say:
        // up to two other problems, then sized ones with 2, 3, … parts, until one fills the target.
        int targetChars = LengthTarget.draw(style, scale, rnd) * TokenEstimate.CHARS_PER_TOKEN;
        w = OpusWriter.write(p, scale, targetChars - p.text().length() - PLAIN_OVERHEAD, rnd);
        for (int round = 1; round <= OPUS_REDRAWS && OpusWriter.isShort(w, targetChars - p.text().length() - PLAIN_OVERHEAD); round++) {
          p = round <= 2 ? ProblemKind.any(rnd, false) : ArithmeticProblems.multiStep(rnd, false, round - 1);
          w = OpusWriter.write(p, scale, targetChars - p.text().length() - PLAIN_OVERHEAD, rnd);
        }
        if (!admits(p, seen)) {
          continue;
        }
      } else {
        p = ProblemKind.any(rnd, false);
        if (!admits(p, seen)) {
          continue;
        }
        int targetChars = LengthTarget.draw(style, scale, rnd) * TokenEstimate.CHARS_PER_TOKEN;
        w = GlmWriter.write(p, scale, targetChars - p.text().length() - PLAIN_OVERHEAD, rnd);
      }
      out.add(new SampleRow(String.format(java.util.Locale.ROOT, "%s-%05d", idPrefix, out.size() + 1), p, w, style, scale));
    }
    return out;
  }
}
