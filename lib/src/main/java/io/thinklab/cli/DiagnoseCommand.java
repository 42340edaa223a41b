package io.thinklab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.thinklab.data.TrainingFormat;
import io.thinklab.data.Triplet;
import io.thinklab.diagnose.Diagnoser;
import io.thinklab.diagnose.Diagnosis;
import io.thinklab.preflight.TripletFiles;
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

  @Parameters(arity = "1", description = "JSONL file(s) of problem/thinking/solution rows (.jsonl or .jsonl.gz)")
  List<Path> data;

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

  @Override
  public Integer call() throws Exception {
    List<TripletFiles> files = data.stream().map(TripletFiles::open).toList();
    try (Tokenizer tok = Tokenizer.resolve(tokenizer)) {
      Diagnosis d = Diagnoser.builder().setTokenizer(tok)
          .optFormat(TrainingFormat.plain(eos != null ? eos : tok.eosToken()))
          .optMicroBatch(microBatch).optExactCompletion(exact).build()
          .diagnose(TripletFiles.concat(files), cutoffs);
      for (TripletFiles f : files) {
        f.rejects().forEach((reason, n) -> System.err.printf("thinklab diagnose: %s: skipped %d rows: %s (first at %s)%n",
            f.file(), n, reason, f.firstRejects().get(reason)));
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

  /** The rows of the given files, in order, streamed. The one place the CLI loads data (swap for the loaders). */
  static Iterable<Triplet> rows(List<Path> files) {
    return TripletFiles.concat(files.stream().map(TripletFiles::open).toList());
  }
}
