package io.thinklab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thinklab.data.FormattedExample;
import io.thinklab.data.LoadResult;
import io.thinklab.data.Span;
import io.thinklab.data.TrainingFormat;
import io.thinklab.tokens.TokenizerConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code thinklab format}: prints triplets exactly as they will be trained on. One example prints as its text
 * and a newline; several are each preceded by a {@code --- id ---} line. {@code --json} prints one JSON object
 * per line with the text and the span of every segment. Rejected rows are summarised on stderr.
 */
@Command(name = "format", mixinStandardHelpOptions = true,
    description = "Print examples in their exact training text (plain, chatml, or the model's chat template).")
final class FormatCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Kind { plain, chatml, template }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "A .jsonl, .jsonl.gz or .parquet file, a folder, or hf:owner/name.")
  String file;

  @Option(names = "--format", defaultValue = "plain", paramLabel = "plain|chatml|template",
      description = "plain (the seed's), chatml, or template (needs --tokenizer or --chat-template). Default: ${DEFAULT-VALUE}.")
  Kind format;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "-1", description = "Print at most N examples.")
  int limit;

  @Option(names = "--tokenizer", paramLabel = "DIR",
      description = "Folder with tokenizer_config.json: its EOS (and chat_template for --format template).")
  Path tokenizer;

  @Option(names = "--chat-template", paramLabel = "FILE", description = "A Jinja chat template file (overrides the tokenizer's).")
  Path chatTemplate;

  @Option(names = "--json", description = "One JSON object per example with text and spans.")
  boolean json;

  @Mixin
  LoadOptions load = new LoadOptions();

  @Override
  public Integer call() throws Exception {
    TrainingFormat fmt = trainingFormat();
    LoadResult r = load.dataset(file).read();
    if (r.rejected() > 0) {
      spec.commandLine().getErr().println("thinklab format: " + r.summary());
    }
    List<FormattedExample> examples = r.triplets().stream().limit(limit < 0 ? Long.MAX_VALUE : limit)
        .map(fmt::format).toList();
    PrintWriter out = spec.commandLine().getOut();
    for (FormattedExample ex : examples) {
      if (json) {
        out.print(JSON.writeValueAsString(toJson(ex)) + "\n");
      } else {
        if (examples.size() > 1) {
          out.print("--- " + ex.id() + " ---\n");
        }
        out.print(ex.text() + "\n");
      }
    }
    out.flush();
    return 0;
  }

  private TrainingFormat trainingFormat() throws Exception {
    TokenizerConfig cfg = tokenizer == null ? null : TokenizerConfig.read(tokenizer);
    String eos = cfg != null && cfg.eosToken() != null ? cfg.eosToken() : null;
    switch (format) {
      case plain:
        return TrainingFormat.plain(eos == null ? TrainingFormat.SEED_EOS : eos);
      case chatml:
        return TrainingFormat.chatml(eos == null ? TrainingFormat.IM_END : eos);
      default:
        if (chatTemplate != null) {
          return TrainingFormat.template(Files.readString(chatTemplate), eos, cfg == null ? null : cfg.bosToken());
        }
        if (cfg == null) {
          throw new IllegalArgumentException("--format template needs --tokenizer DIR or --chat-template FILE");
        }
        return cfg.trainingFormat();
    }
  }

  static ObjectNode toJson(FormattedExample ex) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", ex.id());
    o.put("text", ex.text());
    var spans = o.putArray("spans");
    for (Span s : ex.spans()) {
      spans.addObject().put("segment", s.segment().name().toLowerCase()).put("start", s.start()).put("end", s.end());
    }
    return o;
  }
}
