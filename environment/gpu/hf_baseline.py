#!/usr/bin/env python3
"""The Hugging Face baseline ThinkLab's trainer is measured against (issue 8, "Measure" 1).

The seed's job, same shapes, no download: a randomly initialised LlamaForCausalLM with Nanbeige4-3B-Base's
exact dimensions (so the same FLOPs), bf16, PEFT LoRA r16 alpha32 dropout 0.05 on q/k/v/o, AdamW lr 2e-4,
micro-batch 4 x 4 accumulation x 2048 tokens = one optimizer step over 16 x 2048 tokens. For each mode
(attention kernel x gradient checkpointing) it runs a few warm-up steps, then times a few, and prints one
JSON object: seconds per optimizer step, tokens/s, peak GPU memory, model-FLOPs utilisation, the card.

The seed ran TRL's SFTTrainer (sdpa attention, gradient checkpointing) at 2.79 s/step on an H100. This is
the same arithmetic without TRL's data pipeline: plain Transformers + PEFT, bf16 autocast as the Trainer does.

  python3 environment/gpu/hf_baseline.py --out hf_baseline.json          # about 3 minutes on an H100
  python3 environment/gpu/hf_baseline.py --modes sdpa:on --steps 2       # quicker
  python3 environment/gpu/hf_baseline.py --dry-run                       # CPU, the tiny thinker's shape, seconds:
                                                                         # every line runs, no figure means anything
"""
import argparse
import gc
import json
import platform
import sys
import time

import torch

# -----------------------------------------------------------------------------
# Nanbeige4-3B-Base, from its config.json (hidden 2560, 32 layers, 20 heads / 4 KV heads, vocab 166144)
NANBEIGE = dict(
    vocab_size=166144, hidden_size=2560, intermediate_size=10496, num_hidden_layers=32,
    num_attention_heads=20, num_key_value_heads=4, hidden_act="silu", max_position_embeddings=32768,
    rms_norm_eps=1e-5, rope_theta=5_000_000.0, tie_word_embeddings=False, attention_bias=False,
    bos_token_id=1, eos_token_id=2, use_cache=False,
)
# the tiny thinker's shape (src/main/resources/io/thinklab/profiles/tiny-thinker.json): the CPU dry run's
TINY = dict(vocab_size=256, hidden_size=256, intermediate_size=688, num_hidden_layers=4, num_attention_heads=8,
            num_key_value_heads=2, hidden_act="silu", max_position_embeddings=4096, rms_norm_eps=1e-5,
            rope_theta=10_000.0, tie_word_embeddings=True, attention_bias=False, bos_token_id=1, eos_token_id=2,
            use_cache=False)
# the seed's training settings (--dry-run: 1 x 1 x 64 on the CPU)
MICRO_BATCH, ACCUM, SEQ = 4, 4, 2048
DEVICE, DTYPE, SHAPE = "cuda", torch.bfloat16, NANBEIGE
LORA = dict(r=16, lora_alpha=32, lora_dropout=0.05, target_modules=["q_proj", "k_proj", "v_proj", "o_proj"])
LR = 2e-4
# dense bf16 peak of the SXM Hopper cards (H100 SXM and H200: 989 TFLOP/s), for MFU
PEAK_BF16 = {"H100": 989e12, "H200": 989e12}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--modes", default="sdpa:on,sdpa:off,eager:on,eager:off",
                   help="attention:gradient-checkpointing pairs, in order (eager:off may not fit in 80 GB)")
    p.add_argument("--warmup", type=int, default=2, help="optimizer steps before timing")
    p.add_argument("--steps", type=int, default=3, help="timed optimizer steps per mode")
    p.add_argument("--out", help="also write the JSON here")
    p.add_argument("--dry-run", action="store_true",
                   help="CPU, fp32, the tiny thinker's shape, 1 x 1 x 64 tokens: checks the script, measures nothing")
    args = p.parse_args()
    if args.dry_run:
        global MICRO_BATCH, ACCUM, SEQ, DEVICE, DTYPE, SHAPE
        MICRO_BATCH, ACCUM, SEQ, DEVICE, DTYPE, SHAPE = 1, 1, 64, "cpu", torch.float32, TINY
    return args


def build_model():
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM
    kw = dict(SHAPE)
    theta = kw.pop("rope_theta")
    try:
        cfg = LlamaConfig(rope_theta=theta, **kw)
    except TypeError:
        cfg = LlamaConfig(**kw)
    if hasattr(cfg, "rope_parameters"):   # Transformers 5 reads rope settings from here
        cfg.rope_parameters = {"rope_type": "default", "rope_theta": theta}
    # initialise straight on the GPU in bf16: 3.9 B parameters in fp32 on the CPU would take minutes
    torch.manual_seed(0)
    torch.set_default_dtype(DTYPE)
    with torch.device(DEVICE):
        base = LlamaForCausalLM(cfg)
    torch.set_default_dtype(torch.float32)
    n_params = sum(p.numel() for p in base.parameters())
    # PEFT keeps the adapter weights in fp32 (autocast_adapter_dtype) over a bf16 base, as in the seed
    model = get_peft_model(base, LoraConfig(bias="none", task_type="CAUSAL_LM", **LORA))
    n_lora = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return model, cfg, n_params, n_lora


def set_attention(model, impl):
    base = model.get_base_model()
    if hasattr(base, "set_attn_implementation"):
        base.set_attn_implementation(impl)
    else:  # older Transformers read it from the config on every forward
        base.config._attn_implementation = impl
    return base.config._attn_implementation


def set_checkpointing(model, on):
    base = model.get_base_model()
    if on:
        # non-reentrant checkpointing needs no enable_input_require_grads trick for a frozen embedding
        base.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    else:
        base.gradient_checkpointing_disable()


def model_flops_per_step(cfg, n_lora, tokens):
    """LoRA convention (issue 8): frozen matmul weights 4*N*T (forward + input gradients, no weight
    gradients), adapters 6*N_lora*T, attention scores and mixing 12*L*d*S per token (non-causal count).
    Recomputation under gradient checkpointing is not counted: it is overhead, not model work."""
    d, L, kv = cfg.hidden_size, cfg.num_hidden_layers, cfg.num_key_value_heads
    hd = d // cfg.num_attention_heads
    per_layer = d * d + 2 * d * kv * hd + d * d + 3 * d * cfg.intermediate_size
    n_frozen_matmul = L * per_layer + d * cfg.vocab_size   # + lm_head; the input embedding is a lookup
    return 4 * n_frozen_matmul * tokens + 6 * n_lora * tokens + 12 * L * d * SEQ * tokens


def run_mode(model, opt, impl, gc_on, warmup, steps, vocab):
    got = set_attention(model, impl)
    set_checkpointing(model, gc_on)
    model.train()
    g = torch.Generator(device=DEVICE).manual_seed(42)

    def one_step():
        for _ in range(ACCUM):
            ids = torch.randint(0, vocab, (MICRO_BATCH, SEQ), device=DEVICE, generator=g)
            with torch.autocast(DEVICE, dtype=torch.bfloat16, enabled=DEVICE == "cuda"):
                loss = model(input_ids=ids, labels=ids).loss / ACCUM
            loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.item() * ACCUM

    cuda = DEVICE == "cuda"
    if cuda:
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    for _ in range(warmup):
        one_step()
    times, losses = [], []
    for _ in range(steps):
        if cuda:
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        losses.append(one_step())
        if cuda:
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    return {
        "attn_implementation": got, "gradient_checkpointing": gc_on,
        "step_seconds": [round(t, 4) for t in times],
        "s_per_step": round(sum(times) / len(times), 4),
        "peak_allocated_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2) if cuda else None,
        "peak_reserved_gib": round(torch.cuda.max_memory_reserved() / 2**30, 2) if cuda else None,
        "last_loss": round(losses[-1], 4),
    }


def main():
    args = parse_args()
    import peft
    import transformers
    t_start = time.perf_counter()
    name = torch.cuda.get_device_name(0) if DEVICE == "cuda" else "cpu (dry run)"
    result = {
        "card": name,
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "cuda": torch.version.cuda, "dry_run": args.dry_run, "transformers": transformers.__version__,
                     "peft": peft.__version__},
        "shape": {"micro_batch": MICRO_BATCH, "accumulation": ACCUM, "seq": SEQ,
                  "tokens_per_step": MICRO_BATCH * ACCUM * SEQ},
        "lora": LORA, "lr": LR, "precision": "bf16 base, fp32 LoRA weights, bf16 autocast",
    }
    if DEVICE == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True

    model, cfg, n_params, n_lora = build_model()
    result["params"], result["lora_params"] = n_params, n_lora
    result["build_seconds"] = round(time.perf_counter() - t_start, 1)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=LR, fused=DEVICE == "cuda")
    tokens = MICRO_BATCH * ACCUM * SEQ
    flops = model_flops_per_step(cfg, n_lora, tokens)
    peak = next((v for k, v in PEAK_BF16.items() if k in name), None)
    result["model_flops_per_step"] = flops

    runs = []
    for mode in args.modes.split(","):
        impl, gc_flag = mode.split(":")
        try:
            r = run_mode(model, opt, impl, gc_flag == "on", args.warmup, args.steps, cfg.vocab_size)
            r["tokens_per_s"] = round(tokens / r["s_per_step"])
            r["mfu"] = round(flops / r["s_per_step"] / peak, 4) if peak else None
        except torch.OutOfMemoryError as e:
            r = {"attn_implementation": impl, "gradient_checkpointing": gc_flag == "on",
                 "error": "OutOfMemoryError: " + str(e).split("\n")[0][:300]}
        except Exception as e:   # one mode failing (an API change, say) must not lose the others
            r = {"attn_implementation": impl, "gradient_checkpointing": gc_flag == "on",
                 "error": f"{type(e).__name__}: {str(e)[:300]}"}
        opt.zero_grad(set_to_none=True)
        gc.collect()
        if DEVICE == "cuda":
            torch.cuda.empty_cache()
        print(json.dumps({"mode": mode, **r}), flush=True)
        runs.append(r)
    result["runs"] = runs
    result["total_seconds"] = round(time.perf_counter() - t_start, 1)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
