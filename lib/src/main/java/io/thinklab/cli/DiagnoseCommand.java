package io.thinklab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.diagnose.Diagnoser;
import io.thinklab.diagnose.Diagnosis;
import io.thinklab.data.Dataset;
import io.thinklab.data.LoadResult;
import io.thinklab.data.Reject;
import io.thinklab.tokens.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code thinklab diagnose}: token lengths and truncation of a whole corpus, in the seed's report layout. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
    description = "Token lengths of every row, what each cutoff cuts (</think>, EOS), the recommended cutoff.")
final class DiagnoseCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", description = "data: .jsonl, .jsonl.gz or .parquet file(s), folders of them, or"
      + " hf:owner/name; rows checked by the data layer's loader (rejects reported on stderr)")
  List<String> data;

  @Option(names = "--min-thinking-chars", defaultValue = "0",
      description = "reject rows whose thinking is shorter (the seed used 20); default ${DEFAULT-VALUE}")
  int minThinkingChars;

  @Option(names = "--tokenizer", defaultValue = "data/tokenizers/qwen3",
      description = "tokenizer folder or hub id; default ${DEFAULT-VALUE}")
  String tokenizer;

  @Option(names = "--cutoffs", split = ",", defaultValue = "1024,2048,3072,4096,8192",
      description = "cutoffs to report; default ${DEFAULT-VALUE}")
  List<Integer> cutoffs;

  @Option(names = "--eos", description = "EOS text of the format (default: the tokenizer's eos_token)")
  String eos;

  @Option(names = "--micro-batch", defaultValue = "1", description = "micro-batch for padding waste; default 1")
  int microBatch;

  @Option(names = "--exact-completion", description = "encode every completion separately (slower)")
  boolean exact;

  @Option(names = "--json", description = "print one JSON object (the seed's keys plus ThinkLab's)")
  boolean json;

  @Option(names = "--with-lengths", description = "with --json: add full_lengths and completion_lengths")
  boolean withLengths;

  @Option(names = "--png", paramLabel = "FILE",
      description = "also draw the full-length histogram with a line per cutoff as a PNG (headless)")
  Path png;

  @Override
  public Integer call() throws Exception {
    List<Dataset.Streamed> files = data.stream()
        .map(p -> Dataset.load(p).lenient().minThinkingChars(minThinkingChars).stream()).toList();
    try (Tokenizer tok = Tokenizer.resolve(tokenizer)) {
      Diagnosis d = Diagnoser.builder().setTokenizer(tok)
          .optFormat(TrainingFormat.plain(eos != null ? eos : tok.eosToken()))
          .optMicroBatch(microBatch).optExactCompletion(exact).build()
          .diagnose(Dataset.concat(files), cutoffs);
      for (Dataset.Streamed f : files) {
        LoadResult r = f.result();
        if (r != null && r.rejected() > 0) {
          System.err.println("thinklab diagnose: skipped rows: " + f.summary());
          Reject first = r.rejects().get(0);
          System.err.println("thinklab diagnose: first: " + first);
        }
      }
      if (png != null) {
        String what = data.size() == 1 ? Path.of(data.get(0)).getFileName().toString() : data.size() + " files";
        io.thinklab.diagnose.LengthPng.write(d, what, png, 1000, 480, cutoffs.stream().mapToInt(i -> i).toArray());
        System.err.println("thinklab diagnose: wrote " + png);
      }
      if (json) {
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(d.toJson(withLengths)));
      } else {
        System.out.print(d.report());
      }
    }
    return 0;
  }

  /** The rows of the given files, in order, streamed through the data layer's loader (no filter). */
  static Iterable<Triplet> rows(List<Path> files) {
    return Dataset.concat(files.stream().map(p -> Dataset.load(p).lenient().minThinkingChars(0).stream()).toList());
  }

}
