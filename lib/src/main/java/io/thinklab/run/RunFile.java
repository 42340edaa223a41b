package io.thinklab.run;

import java.util.List;

/**
 * A run file: everything a LoRA thinking-SFT run needs to be checked before a GPU is rented. Read with
 * {@link RunFiles#resolve}; YAML or JSON; unknown keys are rejected. Missing keys take the defaults of
 * {@code io/thinklab/runs/defaults.yaml}.
 *
 * <pre>
 * name: nanbeige4-3b-glm12k-seed          # free text, shown in reports
 * description: the seed's GLM run           # free text
 * model: nanbeige4-3b-base                 # built-in profile (nanbeige4-3b-base, tiny-thinker) or a config.json path
 * tokenizer:
 *   path: Nanbeige/Nanbeige4-3B-Base       # a folder with tokenizer.json, or a hub id (downloaded into data/hub/)
 *   fallback: data/tokenizers/qwen3        # used, and said so, when path cannot be loaded (offline)
 * data:                                    # one or more JSON Lines files of problem/thinking/solution rows
 *   - path: crownelius/GLM-5.0-25000x      # a file or folder, or a hub dataset id downloaded into data/hub/
 *     fallback: data/samples/glm-style.jsonl.gz   # the preflight approximates with it when path is missing;
 *                                          # training refuses it unless --allow-fallback
 *     max_rows: 12000                      # row cap, applied after every filter (0 = all rows, in file order)
 *     shuffle: true                        # more rows than max_rows: draw max_rows with a seeded shuffle
 *     seed: 42                             # the shuffle's seed (the seed's shuffle(seed=42).select(range(12000)))
 *     filters: {non_empty: true, min_thinking_chars: 20, no_markers_in_fields: true, max_chars: 0}
 * format: plain                            # the training text layout (io.thinklab.data.TrainingFormat)
 * max_length: 2048                         # the cutoff in tokens
 * over_long: truncate                      # truncate | drop | error
 * lora: {r: 16, alpha: 32, dropout: 0.05, targets: [q_proj, k_proj, v_proj, o_proj], rslora: false}
 * train: {micro_batch: 4, grad_accum: 4, epochs: 2, lr: 2.0e-4, schedule: cosine, warmup_ratio: 0.05,
 *         precision: bf16, gradient_checkpointing: true}
 * device: {type: h100, price_per_gpu_hour: 2.69, mfu: 0, memory_gib: 0}   # h100 | a100 | cpu; 0 = the type's
 * checks: {min_keep_share: 0.95}           # truncation FAILs below this share keeping </think> and EOS
 * reference: {seconds_per_step: 2.79, note: "the seed's measured step time"}   # optional reference line
 * </pre>
 *
 * <p>The rows of a data entry, the same for the preflight and the trainer ({@link io.thinklab.run.RunRows}): every
 * row the loader accepts ({@code non_empty} and {@code min_thinking_chars} are its checks) that passes
 * {@code no_markers_in_fields} and {@code max_chars}, in file order; then, when more than {@code max_rows} remain,
 * {@code max_rows} of them drawn as the seed did ({@code dataset.shuffle(seed=42).select(range(12000))} after its
 * filter): a Fisher–Yates shuffle with {@code new java.util.Random(seed)} ({@link io.thinklab.data.Splits#select}),
 * first {@code max_rows}, in that shuffled order. Java's generator is not NumPy's, so the rows drawn differ from the
 * seed's; the procedure and its determinism carry over. With {@code shuffle: false} the first {@code max_rows} rows
 * in file order are kept instead (the lab's tiny runs: their notebooks hold out rows by position).
 *
 * <p>Where files are looked for, the same for both: {@code path} against the base folder (the checkout), then, for a
 * hub id, a finished download in {@code data/hub/} ({@link io.thinklab.run.RunSources}).
 *
 * @param name        run name
 * @param description what the run is for
 * @param model       profile name or {@code config.json} path
 * @param tokenizer   tokenizer to count with
 * @param data        datasets, concatenated in order
 * @param format      training format name
 * @param maxLength   cutoff in tokens
 * @param overLong    over-long policy: truncate, drop, error
 * @param lora        adapter settings
 * @param train       optimisation settings
 * @param device      target device and price
 * @param checks      check thresholds
 * @param reference   a measured figure to compare with, or null
 */
public record RunFile(String name, String description, String model, Tokenizer tokenizer, List<Data> data,
                      String format, int maxLength, String overLong, Lora lora, Train train, Device device,
                      Checks checks, Reference reference) {

  /**
   * The tokenizer to count with.
   *
   * @param path     folder or hub id
   * @param fallback folder used when {@code path} cannot be loaded, or null
   */
  public record Tokenizer(String path, String fallback) {}

  /**
   * One dataset.
   *
   * @param path     JSONL file or folder, or hub dataset id ({@code owner/name} or {@code hf:owner/name})
   * @param fallback local file the preflight approximates with when {@code path} is not available, or null;
   *                 training uses it only when asked to ({@code thinklab train --allow-fallback})
   * @param maxRows  row cap (0 = no cap), applied after every filter
   * @param shuffle  when more rows than {@code maxRows} pass the filters: draw them with a seeded shuffle (true,
   *                 the default, as the seed did), or keep the first {@code maxRows} in file order (false)
   * @param seed     the shuffle's seed (42 by default, the seed's)
   * @param filters  row filters
   */
  public record Data(String path, String fallback, int maxRows, boolean shuffle, long seed, Filters filters) {}

  /**
   * Row filters, as the seed applied before training.
   *
   * @param nonEmpty          reject rows with an empty problem, thinking or solution
   * @param minThinkingChars  reject rows whose thinking is shorter (the seed used 20)
   * @param noMarkersInFields reject rows whose text already contains {@code <think>} or {@code </think>}
   * @param maxChars          reject rows longer than this many characters (0 = no limit)
   */
  public record Filters(boolean nonEmpty, int minThinkingChars, boolean noMarkersInFields, int maxChars) {
    /** No filtering at all. */
    public static final Filters NONE = new Filters(false, 0, false, 0);
  }

  /**
   * LoRA adapter settings (PEFT's names).
   *
   * @param r       rank
   * @param alpha   scale numerator: the update is scaled by alpha/r, or alpha/sqrt(r) with rsLoRA
   * @param dropout dropout on the adapter input
   * @param targets module names (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)
   * @param rslora  rank-stabilised scaling
   * @param trainableTokens tokens whose embedding rows train too (PEFT's {@code trainable_token_indices}), by
   *                text, e.g. {@code ["<think>", "</think>"]} when the base never trained those rows; empty = none
   */
  public record Lora(int r, double alpha, double dropout, List<String> targets, boolean rslora,
                     List<String> trainableTokens) {
    public Lora {
      trainableTokens = trainableTokens == null ? List.of() : List.copyOf(trainableTokens);
    }
  }

  /**
   * Optimisation settings.
   *
   * @param microBatch            sequences per forward/backward pass
   * @param gradAccum             micro-batches per optimizer step
   * @param epochs                passes over the data
   * @param lr                    peak learning rate
   * @param schedule              constant, linear or cosine
   * @param warmupRatio           share of steps spent warming up
   * @param precision             bf16, fp16 or fp32 (frozen weights and activations)
   * @param gradientCheckpointing recompute block activations in the backward pass
   */
  public record Train(int microBatch, int gradAccum, int epochs, double lr, String schedule, double warmupRatio,
                      String precision, boolean gradientCheckpointing) {}

  /**
   * The target device.
   *
   * @param type            h100, a100 or cpu
   * @param pricePerGpuHour price in dollars per device-hour (0 = not given)
   * @param mfu             model-FLOPs utilisation for time estimates (0..1); 0 = {@link Estimates#MEASURED_MFU}
   * @param memoryGib       memory override in GiB (0 = the type's)
   */
  public record Device(String type, double pricePerGpuHour, double mfu, double memoryGib) {}

  /**
   * Check thresholds.
   *
   * @param minKeepShare truncation FAILs when fewer examples than this keep both {@code </think>} and EOS
   */
  public record Checks(double minKeepShare) {}

  /**
   * A measured reference to print beside the estimate.
   *
   * @param secondsPerStep measured seconds per optimizer step
   * @param note           where the figure comes from
   */
  public record Reference(double secondsPerStep, String note) {}
}
