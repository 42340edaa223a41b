package io.thinklab.cli;

import io.thinklab.data.Dataset;
import io.thinklab.data.FieldMapping;
import picocli.CommandLine.Option;

/** Options shared by commands that load a dataset: policy, filter and field mapping. */
final class LoadOptions {
  @Option(names = "--strict", description = "Fail at the first bad row (default: lenient, skip and report).")
  boolean strict;

  @Option(names = "--min-thinking", paramLabel = "N", defaultValue = "" + Dataset.SEED_MIN_THINKING_CHARS,
      description = "Reject rows whose thinking is shorter than N characters (default: ${DEFAULT-VALUE}, the seed's).")
  int minThinking;

  @Option(names = "--fields", paramLabel = "MAPPING",
      description = "Field mapping: a known name (seed, qa, prompt, instruction, input, messages) or "
          + "problem=F,thinking=F,solution=F. Default: detected from the known names.")
  String fields;

  /** The configured loader for a path or {@code hf:owner/name}. */
  Dataset dataset(String file) {
    Dataset d = Dataset.load(file).minThinkingChars(minThinking);
    if (fields != null) {
      d.mapping(FieldMapping.parse(fields));
    }
    return strict ? d.strict() : d.lenient();
  }
}
