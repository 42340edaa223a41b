package io.thinklab.eval;

import io.thinklab.compare.TraceFeatures;
import io.thinklab.data.Segment;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.generate.Generation;
import io.thinklab.generate.Generator;
import io.thinklab.generate.TokenListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates for held-out problems and grades the outputs.
 *
 * <p>Each prompt is the training text up to where the thinking starts (for the seed's plain format:
 * {@code User: {problem}\nAssistant: <think>\n}), so the model continues exactly as it was trained to.
 * Use greedy sampling for evaluation (the generator's config decides).
 *
 * <pre>
 *   EvalResult r = Evaluator.of(generator, TrainingFormat.plain(eos)).batchSize(8)
 *       .run("adapter", heldOut, evalLoss).result();
 * </pre>
 */
public final class Evaluator {
  private final Generator generator;
  private final TrainingFormat format;
  private int batchSize = 8;
  private TokenListener listener = TokenListener.none();

  private Evaluator(Generator generator, TrainingFormat format) {
    this.generator = generator;
    this.format = format;
  }

  public static Evaluator of(Generator generator, TrainingFormat format) {
    return new Evaluator(generator, format);
  }

  /** Prompts generated together (left-padded); 8 by default. */
  public Evaluator batchSize(int n) {
    this.batchSize = n;
    return this;
  }

  /** Streams every token (for progress or a live notebook display). */
  public Evaluator listener(TokenListener l) {
    this.listener = l;
    return this;
  }

  /** The generation prompt of a triplet: its formatted text up to the thinking. */
  public static String prompt(TrainingFormat format, Triplet t) {
    var ex = format.format(t);
    return ex.text().substring(0, ex.span(Segment.THINKING).start());
  }

  /** Generates and grades every problem; {@code evalLoss} (NaN when not measured) goes into the result. */
  public Evaluation run(String name, List<Triplet> problems, double evalLoss) {
    List<EvalSample> samples = new ArrayList<>();
    for (int from = 0; from < problems.size(); from += batchSize) {
      List<Triplet> chunk = problems.subList(from, Math.min(problems.size(), from + batchSize));
      List<Generation> gens = generator.generate(chunk.stream().map(t -> prompt(format, t)).toList(), listener);
      for (int i = 0; i < chunk.size(); i++) {
        samples.add(grade(chunk.get(i), gens.get(i)));
      }
    }
    return new Evaluation(EvalResult.of(name, samples, generator.config().maxNewTokens(), evalLoss), samples);
  }

  /** One problem's grade. */
  public static EvalSample grade(Triplet t, Generation g) {
    Object ref = TraceFeatures.reference(t);
    String extracted = Answers.extract(g.solution(), g.thinking()).orElse(null);
    boolean correct = Answers.correct(g.solution(), g.thinking(), ref);
    int thinking = g.closed() ? g.thinkCloseToken() : g.newTokens();
    return new EvalSample(t.id(), g, ref, extracted, correct, thinking);
  }

  /** The figures and the graded samples behind them. */
  public record Evaluation(EvalResult result, List<EvalSample> samples) {}
}
