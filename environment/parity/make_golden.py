#!/usr/bin/env python3
"""Golden outputs from Hugging Face for ThinkLab's parity tests.

Builds a tiny random LlamaForCausalLM shaped like Nanbeige4-3B-Base in every way that matters for the
arithmetic (GQA, untied embeddings, rope_theta 5e6, RMSNorm eps 1e-5, SiLU MLP), saves it as safetensors,
and writes what ThinkLab's Java forward pass, loss and LoRA loading must reproduce within 1e-4 (fp32):

  model/config.json, model/model.safetensors        the tiny base model
  adapter_qkvo/                                     PEFT LoRA r4 alpha8 on q/k/v/o, random non-zero B
  adapter_all/                                      PEFT LoRA r4 alpha16 on q/k/v/o/gate/up/down
  golden.safetensors                                inputs, labels, logits, losses, LoRA gradients
  golden.json                                       the scalars, the conventions, the library versions

Run where torch + transformers + peft are installed (not in CI):

  python3 environment/parity/make_golden.py --out lib/src/test/resources/parity

Everything is fp32 on CPU with eager attention, so the numbers do not depend on a GPU or a fused kernel.
"""
import argparse
import json
import os
import platform
import sys

import torch

# -----------------------------------------------------------------------------
# config: the tiny model. Small enough that all files together stay well under 1 MB.
SEED = 1234
VOCAB = 256
HIDDEN = 64
LAYERS = 2
HEADS = 4          # head_dim 16
KV_HEADS = 2       # GQA: each KV head serves 2 query heads, as Nanbeige's 4 serve 20
INTERMEDIATE = 128
ROPE_THETA = 5_000_000.0
RMS_EPS = 1e-5
INIT_STD = 0.1     # larger than HF's 0.02 so logits are O(1) and a wrong op shows up clearly
PAD_ID = 0

# the batch: row 0 fills all T positions, row 1 is right-padded (as a training collator pads)
T = 12
LENGTHS = [12, 9]
PROMPT_LENGTHS = [5, 4]   # completion-only loss: the first P tokens of each row are prompt


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="folder for the golden files (created)")
    return p.parse_args()


def versions():
    import numpy
    import peft
    import safetensors
    import transformers
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "peft": peft.__version__,
        "safetensors": safetensors.__version__,
        "numpy": numpy.__version__,
    }


def tiny_config():
    from transformers import LlamaConfig
    kw = dict(
        vocab_size=VOCAB, hidden_size=HIDDEN, intermediate_size=INTERMEDIATE,
        num_hidden_layers=LAYERS, num_attention_heads=HEADS, num_key_value_heads=KV_HEADS,
        hidden_act="silu", max_position_embeddings=128, rms_norm_eps=RMS_EPS,
        tie_word_embeddings=False, attention_bias=False, mlp_bias=False,
        initializer_range=INIT_STD, bos_token_id=1, eos_token_id=2, pad_token_id=PAD_ID,
    )
    try:
        cfg = LlamaConfig(rope_theta=ROPE_THETA, **kw)
    except TypeError:
        cfg = LlamaConfig(**kw)
    # Transformers 5 keeps rope settings in rope_parameters; 4.x in rope_theta. Make sure both say 5e6.
    if hasattr(cfg, "rope_parameters"):
        cfg.rope_parameters = {"rope_type": "default", "rope_theta": ROPE_THETA}
    return cfg


def rope_theta_of(cfg):
    rp = getattr(cfg, "rope_parameters", None)
    if rp:
        return float(rp.get("rope_theta"))
    return float(cfg.rope_theta)


def load_base(model_dir):
    from transformers import LlamaForCausalLM
    try:
        m = LlamaForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager")
    except TypeError:  # Transformers 4.x spells it torch_dtype
        m = LlamaForCausalLM.from_pretrained(model_dir, torch_dtype=torch.float32, attn_implementation="eager")
    return m.eval()


def hf_shifted_loss(logits, labels):
    """The Hugging Face causal-LM convention, written out: position t predicts token t+1; labels of -100
    are skipped; the loss is the mean over every trained token in the batch (not a mean of row means)."""
    shift_logits = logits[:, :-1, :].reshape(-1, logits.shape[-1]).float()
    shift_labels = labels[:, 1:].reshape(-1)
    return torch.nn.functional.cross_entropy(shift_logits, shift_labels, ignore_index=-100, reduction="mean")


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    from peft import LoraConfig, get_peft_model
    from safetensors.torch import save_file
    from transformers import LlamaForCausalLM

    # -------------------------------------------------------------------------
    # 1. the tiny base model, random, saved as safetensors
    cfg = tiny_config()
    base = LlamaForCausalLM(cfg).float()
    with torch.no_grad():
        # HF initialises RMSNorm weights to 1; perturb them so a parity test also checks they are applied
        for name, p in base.named_parameters():
            if name.endswith("norm.weight"):
                p.add_(0.1 * torch.randn_like(p))
    model_dir = os.path.join(args.out, "model")
    base.save_pretrained(model_dir, safe_serialization=True)
    # generation_config.json is not part of the contract; keep the folder minimal
    gen = os.path.join(model_dir, "generation_config.json")
    if os.path.exists(gen):
        os.remove(gen)
    # Transformers 5 writes rope_parameters; the real Nanbeige config.json (4.38) has a top-level rope_theta.
    # Keep both so a reader of either format finds 5e6.
    cfg_path = os.path.join(model_dir, "config.json")
    with open(cfg_path) as f:
        cfg_json = json.load(f)
    cfg_json.setdefault("rope_theta", ROPE_THETA)
    with open(cfg_path, "w") as f:
        json.dump(cfg_json, f, indent=2, sort_keys=True)
        f.write("\n")
    base = load_base(model_dir)   # reload: the golden numbers come from the files on disk
    assert rope_theta_of(base.config) == ROPE_THETA, base.config
    assert not base.config.tie_word_embeddings

    # -------------------------------------------------------------------------
    # 2. fixed inputs: token ids 3..255 (0 = pad, 1 = bos, 2 = eos), row 1 right-padded
    g = torch.Generator().manual_seed(SEED + 1)
    input_ids = torch.full((2, T), PAD_ID, dtype=torch.long)
    attention_mask = torch.zeros((2, T), dtype=torch.long)
    labels = torch.full((2, T), -100, dtype=torch.long)
    for b, (n, p) in enumerate(zip(LENGTHS, PROMPT_LENGTHS)):
        input_ids[b, 0] = 1
        input_ids[b, 1:n] = torch.randint(3, VOCAB, (n - 1,), generator=g)
        attention_mask[b, :n] = 1
        labels[b, p:n] = input_ids[b, p:n]   # completion tokens only; prompt and padding stay -100

    # -------------------------------------------------------------------------
    # 3. base logits and the completion-only loss
    with torch.no_grad():
        out = base(input_ids=input_ids, attention_mask=attention_mask, labels=labels)
        logits = out.logits.float()
        loss_manual = hf_shifted_loss(logits, labels)
        assert torch.allclose(out.loss, loss_manual, atol=1e-6), (out.loss, loss_manual)
        # right padding must not change the real tokens: row 1 alone gives the same logits
        alone = base(input_ids=input_ids[1:2, :LENGTHS[1]]).logits.float()
        pad_invariance = (alone[0] - logits[1, :LENGTHS[1]]).abs().max().item()
        assert pad_invariance < 1e-5, pad_invariance
    trained_tokens = int((labels[:, 1:] != -100).sum())

    tensors = {
        "input_ids": input_ids, "attention_mask": attention_mask, "labels": labels,
        "logits": logits.contiguous(), "loss": loss_manual.reshape(1),
    }
    summary = {"loss": loss_manual.item()}

    # -------------------------------------------------------------------------
    # 4. PEFT LoRA adapters with random, non-zero B (PEFT's default B = 0 would make the adapter a no-op)
    variants = [
        ("adapter_qkvo", 4, 8, ["q_proj", "k_proj", "v_proj", "o_proj"]),
        ("adapter_all", 4, 16, ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]),
    ]
    for i, (name, r, alpha, targets) in enumerate(variants):
        torch.manual_seed(SEED + 10 + i)
        model = get_peft_model(load_base(model_dir), LoraConfig(
            r=r, lora_alpha=alpha, lora_dropout=0.0, target_modules=targets, bias="none",
            task_type="CAUSAL_LM"))
        with torch.no_grad():
            for pname, p in model.named_parameters():
                if "lora_B" in pname:
                    p.copy_(0.1 * torch.randn_like(p))
        model.eval()
        adapter_dir = os.path.join(args.out, name)
        model.save_pretrained(adapter_dir)
        # README.md written by PEFT is a model card template, not needed
        card = os.path.join(adapter_dir, "README.md")
        if os.path.exists(card):
            os.remove(card)

        # logits and loss with the adapter, then the gradients of that loss w.r.t. the LoRA weights
        model.zero_grad()
        out = model(input_ids=input_ids, attention_mask=attention_mask, labels=labels)
        loss = hf_shifted_loss(out.logits.float(), labels)
        loss.backward()
        key = name.replace("adapter_", "")
        tensors[f"logits_{key}"] = out.logits.detach().float().contiguous()
        tensors[f"loss_{key}"] = loss.detach().reshape(1)
        summary[f"loss_{key}"] = loss.item()
        summary[f"max_abs_logit_change_{key}"] = (out.logits.detach() - logits).abs().max().item()
        for pname, p in model.named_parameters():
            if p.requires_grad:
                # the same names as in adapter_model.safetensors (PEFT drops the ".default" adapter name)
                tensors[f"grad_{key}." + pname.replace(".default", "")] = p.grad.detach().contiguous()

    save_file(tensors, os.path.join(args.out, "golden.safetensors"),
              metadata={"producer": "environment/parity/make_golden.py"})

    # -------------------------------------------------------------------------
    # 5. the readable half: scalars, conventions, versions
    summary.update({
        "seed": SEED,
        "trained_tokens": trained_tokens,
        "pad_invariance_max_abs": pad_invariance,
        "rope_theta": rope_theta_of(base.config),
        "conventions": {
            "dtype": "float32, CPU, eager attention",
            "padding": "right; attention_mask 0 on padding; position ids 0..T-1 on every row",
            "compare_logits": "only where attention_mask == 1 (logits at padded positions are not specified)",
            "loss": "HF causal LM: logits[:, :-1] predict labels[:, 1:]; labels -100 (prompt, padding) skipped; "
                    "mean over all trained tokens of the batch",
            "lora": "PEFT: W x + (alpha / r) * B (A x); lora_dropout 0; B random N(0, 0.1^2), A PEFT's default "
                    "(kaiming-uniform)",
            "grads": "grad_<variant>.<PEFT tensor name> = d loss_<variant> / d LoRA weight",
        },
        "shapes": {"input_ids": list(input_ids.shape), "logits": list(logits.shape)},
        "versions": versions(),
    })
    with open(os.path.join(args.out, "golden.json"), "w") as f:
        json.dump(summary, f, indent=2, sort_keys=True)
        f.write("\n")

    total = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(args.out) for n in ns)
    print(json.dumps({"out": args.out, "bytes": total, **{k: v for k, v in summary.items()
                                                          if k.startswith("loss") or k == "versions"}}))


if __name__ == "__main__":
    sys.exit(main())
