#!/usr/bin/env python3
"""ThinkLab -> PEFT: adapters ThinkLab saves load in PEFT and give ThinkLab's logits (issue 14, item 6).

  1. two tiny random Llama models (untied and tied embeddings: the tiny thinker is tied, where PEFT must also
     move the LM head's rows of trainable tokens) and a fixed batch with the <think> (4) and </think> (5) ids in it;
     or, with --from, the committed ones;
  2. ThinkLab (io.thinklab.parity.PeftExport, run with --java) saves two adapters per model, LoRA r 4 on q/k/v/o
     without and with trainable token rows for ids 4 and 5, and its logits for the batch;
  3. PEFT loads each adapter with PeftModel.from_pretrained: every tensor ThinkLab saved must be one PEFT
     expects and vice versa (the key names), the logits must equal ThinkLab's within --atol (fp32, where the
     attention mask is 1), the adapter must move the logits, and the token rows must change them again;
  4. PEFT's logits and a readable report go to <out>/peft_logits.safetensors and <out>/roundtrip.json.

The committed golden files (lib/src/test/resources/peft-roundtrip/, checked by PeftRoundTripTest on every build)
come from the first form; `environment/lab test` runs the second against the build's ThinkLab:

  build/peer/venv/bin/python environment/parity/peft_roundtrip.py --out lib/src/test/resources/peft-roundtrip
  build/peer/venv/bin/python environment/parity/peft_roundtrip.py \
      --from lib/src/test/resources/peft-roundtrip --out build/peft-roundtrip

Exit 0 when every check holds, 1 otherwise. Everything runs on the CPU in fp32 with eager attention.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# -----------------------------------------------------------------------------
# the tiny models: small enough that the whole folder stays near 0.2 MB
SEED = 2026
VOCAB, HIDDEN, LAYERS, HEADS, KV_HEADS, INTERMEDIATE = 64, 32, 2, 4, 2, 64
INIT_STD = 0.1
THINK, END_THINK = 4, 5
MODELS = {"model_untied": False, "model_tied": True}   # folder -> tie_word_embeddings
VARIANTS = ["qkvo", "qkvo_think"]                       # io.thinklab.parity.PeftExport.VARIANTS


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="folder to write (models, adapters, logits, report)")
    p.add_argument("--from", dest="source", help="take model_*/ and inputs.safetensors from this folder")
    p.add_argument("--java", default="java -Dai.djl.offline=true -cp " + os.path.join(ROOT, "lib", "target",
                   "thinklab.jar") + ":" + os.path.join(ROOT, "lib", "target", "lib", "*"),
                   help="how to start a ThinkLab class")
    p.add_argument("--atol", type=float, default=1e-4)
    return p.parse_args()


def versions():
    import numpy
    import peft
    import safetensors
    import transformers
    return {"python": platform.python_version(), "torch": torch.__version__, "transformers": transformers.__version__,
            "peft": peft.__version__, "safetensors": safetensors.__version__, "numpy": numpy.__version__}


def make_models_and_inputs(out):
    from safetensors.torch import save_file
    from transformers import LlamaConfig, LlamaForCausalLM
    for i, (name, tied) in enumerate(MODELS.items()):
        torch.manual_seed(SEED + i)
        cfg = LlamaConfig(vocab_size=VOCAB, hidden_size=HIDDEN, intermediate_size=INTERMEDIATE,
                          num_hidden_layers=LAYERS, num_attention_heads=HEADS, num_key_value_heads=KV_HEADS,
                          hidden_act="silu", max_position_embeddings=64, rms_norm_eps=1e-5,
                          tie_word_embeddings=tied, initializer_range=INIT_STD, bos_token_id=1, eos_token_id=2,
                          pad_token_id=0)
        cfg.rope_parameters = {"rope_type": "default", "rope_theta": 10000.0}
        model = LlamaForCausalLM(cfg).float()
        with torch.no_grad():
            for n, p in model.named_parameters():
                if n.endswith("norm.weight"):
                    p.add_(0.1 * torch.randn_like(p))
        d = os.path.join(out, name)
        model.save_pretrained(d, safe_serialization=True)
        for extra in ("generation_config.json",):
            if os.path.exists(os.path.join(d, extra)):
                os.remove(os.path.join(d, extra))
        with open(os.path.join(d, "config.json")) as f:   # ThinkLab reads a top-level rope_theta as well
            c = json.load(f)
        c.setdefault("rope_theta", 10000.0)
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(c, f, indent=2, sort_keys=True)
            f.write("\n")
    # the batch: row 0 has 10 real tokens, row 1 has 7 and is right-padded; both hold <think> and </think>
    g = torch.Generator().manual_seed(SEED + 9)
    ids = torch.randint(6, VOCAB, (2, 10), generator=g)
    ids[:, 0] = 1
    ids[0, 2], ids[0, 6] = THINK, END_THINK
    ids[1, 1], ids[1, 4] = THINK, END_THINK
    mask = torch.ones_like(ids)
    ids[1, 7:], mask[1, 7:] = 0, 0
    save_file({"input_ids": ids, "attention_mask": mask}, os.path.join(out, "inputs.safetensors"),
              metadata={"producer": "environment/parity/peft_roundtrip.py"})


def peft_check(out, model_name, variant, ids, mask, theirs, atol):
    from peft import PeftModel, get_peft_model_state_dict
    from peft.utils import load_peft_weights
    from transformers import LlamaForCausalLM
    base = LlamaForCausalLM.from_pretrained(os.path.join(out, model_name), dtype=torch.float32,
                                            attn_implementation="eager").eval()
    with torch.no_grad():
        base_logits = base(input_ids=ids, attention_mask=mask).logits.float()
    adapter_dir = os.path.join(out, model_name, variant)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = PeftModel.from_pretrained(base, adapter_dir).eval()
    saved = set(load_peft_weights(adapter_dir).keys())
    expected = set(get_peft_model_state_dict(model).keys())
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=mask).logits.float()
    real = mask.bool()
    report = {
        "saved_keys": len(saved),
        "missing_keys": sorted(expected - saved),       # PEFT wanted these; ThinkLab did not write them
        "unexpected_keys": sorted(saved - expected),    # ThinkLab wrote these; PEFT has no place for them
        "token_row_keys": sorted(k for k in saved if "trainable_tokens" in k),
        "load_warnings": [str(w.message)[:300] for w in caught if "missing" in str(w.message).lower()
                          or "unexpected" in str(w.message).lower()],
        "adapter_moves_logits_by": (logits - base_logits)[real].abs().max().item(),
        "max_abs_diff_vs_thinklab": (logits - theirs)[real].abs().max().item(),
    }
    ok = (not report["missing_keys"] and not report["unexpected_keys"] and not report["load_warnings"]
          and report["adapter_moves_logits_by"] > 1e-2 and report["max_abs_diff_vs_thinklab"] <= atol)
    return logits, report, ok


def main():
    args = parse_args()
    from safetensors.torch import load_file, save_file
    os.makedirs(args.out, exist_ok=True)
    if args.source:
        for name in list(MODELS) + ["inputs.safetensors"]:
            src, dst = os.path.join(args.source, name), os.path.join(args.out, name)
            if os.path.isdir(src):
                shutil.rmtree(dst, ignore_errors=True)
                os.makedirs(dst)
                for f in ("config.json", "model.safetensors"):
                    shutil.copy(os.path.join(src, f), dst)
            else:
                shutil.copy(src, dst)
    else:
        make_models_and_inputs(args.out)

    # ThinkLab saves its adapters and its logits
    subprocess.run(args.java.split() + ["io.thinklab.parity.PeftExport", args.out], check=True)
    inputs = load_file(os.path.join(args.out, "inputs.safetensors"))
    ids, mask = inputs["input_ids"], inputs["attention_mask"]
    thinklab = load_file(os.path.join(args.out, "thinklab_logits.safetensors"))

    results, golden, all_ok = {}, {}, True
    for model_name in MODELS:
        for variant in VARIANTS:
            key = f"{model_name}.{variant}"
            logits, report, ok = peft_check(args.out, model_name, variant, ids, mask, thinklab[key], args.atol)
            golden[key] = logits.contiguous()
            results[key] = {**report, "ok": ok}
            all_ok &= ok
        # the token rows must matter: same A and B, rows moved, so the logits must differ
        d = (golden[f"{model_name}.qkvo_think"] - golden[f"{model_name}.qkvo"])[mask.bool()].abs().max().item()
        results[f"{model_name}.token_rows_move_logits_by"] = d
        all_ok &= d > 1e-2
    save_file(golden, os.path.join(args.out, "peft_logits.safetensors"),
              metadata={"producer": "environment/parity/peft_roundtrip.py"})
    report = {"ok": all_ok, "atol": args.atol, "think_ids": [THINK, END_THINK], "results": results,
              "versions": versions(),
              "conventions": "fp32, CPU, eager attention; logits compared where attention_mask == 1; LoRA r 4, "
                             "alpha 8, dropout 0 on q/k/v/o, B ~ N(0, 0.1^2) (io.thinklab.parity.PeftExport); "
                             "token rows = base rows + N(0, 0.5^2)"}
    with open(os.path.join(args.out, "roundtrip.json"), "w") as f:
        json.dump(report, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps({k: (v if not isinstance(v, dict) else {kk: vv for kk, vv in v.items()
                                                             if kk in ("ok", "max_abs_diff_vs_thinklab",
                                                                       "unexpected_keys", "missing_keys")})
                      for k, v in results.items()}, indent=1))
    print("PEFT round trip: " + ("every check holds" if all_ok else "FAILED (see roundtrip.json)"))
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
