#!/usr/bin/env python3
"""Does an adapter saved by ThinkLab load in PEFT and give the logits ThinkLab computed?

The second half of the parity contract (issue 8): ThinkLab trains a LoRA adapter on the tiny golden model
(lib/src/test/resources/parity/model), saves it in PEFT format (adapter_config.json +
adapter_model.safetensors) and writes its own logits for the golden inputs into a safetensors file under
the key "logits". This script loads base + adapter with Transformers + PEFT, runs the same inputs and
compares, on the positions where attention_mask == 1.

  python3 environment/parity/check_thinklab_adapter.py \
      --model lib/src/test/resources/parity/model \
      --golden lib/src/test/resources/parity/golden.safetensors \
      --adapter runs/parity/adapter --thinklab-logits runs/parity/logits.safetensors

Exit 0 when the largest absolute difference is within --atol (default 1e-4, fp32), 1 otherwise. Without
--thinklab-logits it only checks that the adapter loads and reports how much it moves the logits.
"""
import argparse
import json
import sys

import torch


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="folder with config.json + model.safetensors")
    p.add_argument("--golden", required=True, help="golden.safetensors (input_ids, attention_mask)")
    p.add_argument("--adapter", required=True, help="folder with ThinkLab's adapter_config.json + adapter_model.safetensors")
    p.add_argument("--thinklab-logits", help="safetensors file with ThinkLab's logits under key 'logits'")
    p.add_argument("--atol", type=float, default=1e-4)
    return p.parse_args()


def main():
    args = parse_args()
    from peft import PeftModel
    from safetensors.torch import load_file
    from transformers import LlamaForCausalLM

    golden = load_file(args.golden)
    input_ids, mask = golden["input_ids"], golden["attention_mask"]
    try:
        base = LlamaForCausalLM.from_pretrained(args.model, dtype=torch.float32, attn_implementation="eager")
    except TypeError:  # Transformers 4.x
        base = LlamaForCausalLM.from_pretrained(args.model, torch_dtype=torch.float32, attn_implementation="eager")
    base.eval()
    with torch.no_grad():
        base_logits = base(input_ids=input_ids, attention_mask=mask).logits.float()

    # PEFT complains about, but loads, tensors it does not expect; a key it cannot place is a ThinkLab bug
    model = PeftModel.from_pretrained(base, args.adapter)
    model.eval()
    with torch.no_grad():
        peft_logits = model(input_ids=input_ids, attention_mask=mask).logits.float()

    real = mask.bool()
    report = {
        "adapter": args.adapter,
        "adapter_moves_logits_by": (peft_logits - base_logits)[real].abs().max().item(),
    }
    ok = report["adapter_moves_logits_by"] > 0   # a no-op adapter (B = 0) proves nothing
    if args.thinklab_logits:
        theirs = load_file(args.thinklab_logits)["logits"].float()
        if theirs.shape != peft_logits.shape:
            report["error"] = f"shape {list(theirs.shape)} != {list(peft_logits.shape)}"
            ok = False
        else:
            diff = (theirs - peft_logits)[real].abs().max().item()
            report["max_abs_diff_vs_peft"] = diff
            report["atol"] = args.atol
            ok = ok and diff <= args.atol
    report["ok"] = ok
    print(json.dumps(report, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
