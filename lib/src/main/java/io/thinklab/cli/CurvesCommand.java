package io.thinklab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.thinklab.curves.CurvePng;
import io.thinklab.curves.CurveReading;
import io.thinklab.curves.Metrics;
import io.thinklab.curves.Readings;
import io.thinklab.curves.RunHistory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code thinklab curves}: read one or more training runs, print what their loss curves say, and optionally
 * draw them (overlaid) into a PNG.
 */
@Command(name = "curves", mixinStandardHelpOptions = true,
    description = {"Read training curves (ThinkLab metrics.jsonl or Hugging Face trainer_state.json) and say what "
        + "they show: still falling, flat early, spiky, epoch-2 drop, grad-norm spikes, eval loss rising.",
        "Several runs are overlaid in one chart."})
public final class CurvesCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "RUN",
      description = "metrics.jsonl, trainer_state.json or a run folder; NAME=PATH sets the run's name")
  List<String> runs;

  @Option(names = "--png", paramLabel = "FILE", description = "write the chart to this PNG (headless)")
  Path png;

  @Option(names = "--json", description = "print the readings as one JSON object")
  boolean json;

  @Option(names = "--smoothing", defaultValue = "0.9", paramLabel = "W",
      description = "EMA smoothing in [0, 1) for the smoothed line (default: ${DEFAULT-VALUE})")
  double smoothing;

  @Option(names = "--width", defaultValue = "1000", description = "PNG width in pixels (default: ${DEFAULT-VALUE})")
  int width;

  @Option(names = "--height", defaultValue = "800", description = "PNG height in pixels (default: ${DEFAULT-VALUE})")
  int height;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!(smoothing >= 0 && smoothing < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--smoothing must be in [0, 1), got " + smoothing);
    }
    List<RunHistory> histories = Metrics.readAll(runs);
    if (png != null) {
      CurvePng.write(histories, smoothing, png, width, height);
    }
    PrintWriter out = spec.commandLine().getOut();
    List<Map<String, Object>> readings = new ArrayList<>();
    for (RunHistory r : histories) {
      CurveReading reading = Readings.of(r);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", r.name());
        m.put("source", r.source());
        m.put("steps", reading.steps());
        m.put("firstLoss", finite(reading.firstLoss()));
        m.put("finalLoss", finite(reading.finalLoss()));
        m.put("minLoss", finite(reading.minLoss()));
        m.put("gradNormMean", finite(r.gradNormMean()));
        m.put("epochMeans", r.epochMeans());
        m.put("evals", r.evals().size());
        m.put("healthy", reading.healthy());
        m.put("findings", reading.findings());
        readings.add(m);
      } else {
        out.println(reading.text());
      }
    }
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("smoothing", smoothing);
      doc.put("png", png == null ? null : png.toString());
      doc.put("runs", readings);
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    } else if (png != null) {
      out.println("wrote " + png);
    }
    out.flush();
    return 0;
  }

  /** JSON has no NaN: a figure that could not be computed is null. */
  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
