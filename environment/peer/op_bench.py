#!/usr/bin/env python3
"""The peer's half of io.thinklab.bench.OpBench: the ops a LoRA step spends its time in, timed through PyTorch's
Python API with the same shapes and thread count, plus a 1-element add for the per-call overhead.

  build/peer/venv/bin/python environment/peer/op_bench.py [threads] [repeats]     # one JSON line, median µs
"""
import json
import sys
import time

import torch


def timed(n, op):
    for _ in range(2):
        op()
    t = []
    for _ in range(n):
        t0 = time.perf_counter()
        op()
        t.append((time.perf_counter() - t0) * 1e6)
    t.sort()
    return round(t[n // 2], 1)


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x, w = torch.randn(1024, 256), torch.randn(256, 256)
    q, k = torch.randn(4, 8, 256, 32), torch.randn(4, 8, 256, 32)
    s = torch.randn(4, 8, 256, 256)
    xs, wu, head = torch.randn(512, 576), torch.randn(1536, 576), torch.randn(49152, 576)
    one = torch.ones(1)
    f = torch.nn.functional
    us = {
        "linear_1024x256x256": timed(repeats, lambda: f.linear(x, w)),
        "matmul_qk_4x8x256x32": timed(repeats, lambda: q @ k.transpose(-1, -2)),
        "softmax_4x8x256x256": timed(repeats, lambda: torch.softmax(s, -1, dtype=torch.float32)),
        "mul_scalar_4x8x256x256": timed(repeats, lambda: s * 0.125),
        "dropout_1024x256": timed(repeats, lambda: f.dropout(x, 0.05, True)),
        "linear_512x576x1536": timed(repeats, lambda: f.linear(xs, wu)),
        "lm_head_512x576x49152": timed(max(3, repeats // 4), lambda: f.linear(xs, head)),
        "add_1_element": timed(repeats * 20, lambda: one + one),
    }
    print(json.dumps({"side": "peer", "threads": torch.get_num_threads(), "torch": torch.__version__,
                      "median_us": us}))


if __name__ == "__main__":
    main()
