#!/usr/bin/env python3
"""The peer's half of `environment/lab bench train`: ThinkLab's LoRA training step, in Transformers + PEFT.

Same step as `thinklab bench step` (io.thinklab.bench.LoraStep): a randomly initialised LlamaForCausalLM of
the shape in <shape-dir>/config.json (written by ThinkLab, so both sides read one definition), PEFT LoRA from
<shape-dir>/adapter_config.json (the seed's r 16, alpha 32, dropout 0.05 on q/k/v/o), fp32 on the CPU,
random token ids with the first min(128, seq/2) positions masked as the prompt, completion-only loss summed
and divided by the step's trained tokens, backward, global-norm clipping at 1.0, AdamW, zero_grad. The first
step is a warm-up; the median of the others is reported, in wall and in process CPU seconds. One JSON line on stdout, ThinkLab's field names.

  build/peer/venv/bin/python environment/peer/peft_step.py --shape-dir build/bench/tiny-thinker \
      --micro 4 --seq 256 --steps 4 --threads 1
  ... --profile build/bench/peer-trace.json     # step 2 under torch.profiler (Chrome trace + op table)
"""
import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--shape-dir", required=True, help="folder with config.json and adapter_config.json")
    p.add_argument("--shape", help="name to report (default: the folder's name)")
    p.add_argument("--micro", type=int, default=4, help="sequences per micro-batch")
    p.add_argument("--accum", type=int, default=1, help="micro-batches per optimizer step")
    p.add_argument("--seq", type=int, default=256, help="tokens per sequence")
    p.add_argument("--steps", type=int, default=4, help="optimizer steps, the first a warm-up")
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's choice)")
    p.add_argument("--attn", default="sdpa", choices=["sdpa", "eager"], help="attention implementation")
    p.add_argument("--profile", help="write step 2's Chrome trace here (and its op table beside it, .txt)")
    return p.parse_args()


def main():
    args = parse_args()
    if args.steps < 2:
        sys.exit("--steps must be >= 2: the first is a warm-up")
    import torch
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    import peft
    import transformers
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    # ---------------------------------------------------------------- the model: ThinkLab's shape files
    with open(os.path.join(args.shape_dir, "config.json")) as f:
        cfg_json = json.load(f)
    with open(os.path.join(args.shape_dir, "adapter_config.json")) as f:
        ad = json.load(f)
    theta = cfg_json.pop("rope_theta")
    cfg_json.pop("model_type", None)
    cfg = LlamaConfig(**cfg_json)
    cfg.rope_parameters = {"rope_type": "default", "rope_theta": float(theta)}  # Transformers 5's place for it
    cfg.use_cache = False
    torch.manual_seed(0)
    base = LlamaForCausalLM(cfg).float()
    base.set_attn_implementation(args.attn)
    model = get_peft_model(base, LoraConfig(
        r=ad["r"], lora_alpha=ad["lora_alpha"], lora_dropout=ad["lora_dropout"],
        target_modules=ad["target_modules"], bias="none", task_type="CAUSAL_LM"))
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=2e-4, weight_decay=0.0)

    # ---------------------------------------------------------------- the data: random ids, prompt masked
    g = torch.Generator().manual_seed(7)
    prompt = min(128, args.seq // 2)
    vocab = cfg.vocab_size

    def micro_batch():
        ids = torch.randint(0, vocab, (args.micro, args.seq), generator=g)
        labels = ids.clone()
        labels[:, :prompt] = -100
        return ids, torch.ones_like(ids), labels

    # ---------------------------------------------------------------- one optimizer step, as ThinkLab's Trainer
    def one_step():
        batches = [micro_batch() for _ in range(args.accum)]
        trained = sum(int((lab[:, 1:] != -100).sum()) for _, _, lab in batches)
        t0, c0, f0 = time.perf_counter(), time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        loss_sum = 0.0
        for ids, mask, labels in batches:
            logits = model(input_ids=ids, attention_mask=mask).logits               # (B, T, V)
            s = torch.nn.functional.cross_entropy(
                logits[:, :-1].reshape(-1, vocab).float(), labels[:, 1:].reshape(-1),
                ignore_index=-100, reduction="sum")
            loss_sum += s.item()
            (s / trained).backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0
        return time.perf_counter() - t0, time.process_time() - c0, faults, loss_sum / trained

    secs, cpu, faults, losses = [], [], [], []
    for step in range(1, args.steps + 1):
        if args.profile and step == 2:
            from torch.profiler import ProfilerActivity, profile
            with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
                s, c, f, loss = one_step()
            prof.export_chrome_trace(args.profile)
            with open(os.path.splitext(args.profile)[0] + ".txt", "w") as table:
                table.write(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=40))
        else:
            s, c, f, loss = one_step()
        secs.append(s)
        cpu.append(c)
        faults.append(f)
        losses.append(loss)
    median = statistics.median(secs[1:])
    tokens = args.micro * args.accum * args.seq
    print(json.dumps({
        "side": "peer", "shape": args.shape or os.path.basename(os.path.normpath(args.shape_dir)),
        "microBatch": args.micro, "gradAccum": args.accum, "seq": args.seq, "threads": torch.get_num_threads(),
        "attn": base.config._attn_implementation,
        "stepSeconds": secs, "secondsPerStep": median, "tokensPerS": tokens / median,
        "cpuSeconds": cpu[1:], "cpuTokensPerS": tokens / statistics.median(cpu[1:]), "minorFaults": faults[1:], "losses": losses,
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "transformers": transformers.__version__, "peft": peft.__version__},
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
