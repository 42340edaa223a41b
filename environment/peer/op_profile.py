#!/usr/bin/env python3
"""Summarise the Chrome trace of one training step: how many native ops, where the time goes.

Reads either side's trace: ThinkLab's (DJL's JniUtils.startProfile/stopProfile, libtorch's legacy profiler, written
by `thinklab bench step --profile`) or the peer's (torch.profiler, written by peft_step.py --profile). For each:

  wall span         first op start to last op end (the profiler's own overhead included: compare spans only
                    between traces, never with the benchmark's step time)
  top-level ops     ops not nested inside another op: one per call from the framework into libtorch (for ThinkLab
                    roughly one JNI call each; for the peer one Python-level torch call each)
  all ops           every aten:: op, nested ones included (linear -> matmul -> mm ...)
  autograd nodes    backward functions the autograd engine ran
  busy              sum of top-level op durations / wall span: the rest is time spent outside libtorch's ops
                    (Java/JNI/Python, memory management, the profiler)
  copies            aten::copy_, clone, _to_copy, contiguous: data moved (host<->device on a GPU when devices differ)
  scalar operands   top-level ops with a 0-d tensor operand (a host scalar wrapped per call, e.g. DJL's mul(Number))
  item / syncs      aten::item and _local_scalar_dense: a device synchronisation each on a GPU (DJL's getFloat
                    reads memory through JNI without an aten op: ThinkLab's syncs are not in its trace)
  scalar clones     aten::clone of a 0-d tensor: a constant copied per call (Ops.constant); on a GPU an upload each
  phases            before the first autograd node (forward + loss: top-level calls, their time), the backward
                    (autograd nodes, first to last: its span) and after it (clipping, optimizer, zeroing)
  top ops           by self time (an op's duration less its nested ops'), with call counts

  python3 environment/peer/op_profile.py build/bench/trace-tiny-thinker-thinklab.json [peer-trace.json] [--json]
"""
import json
import sys
from collections import defaultdict

COPY_OPS = ("aten::copy_", "aten::clone", "aten::_to_copy", "aten::contiguous")
SYNC_OPS = ("aten::item", "aten::_local_scalar_dense")


def load(path):
    with open(path) as f:
        text = f.read().strip()
    # DJL's legacy writer may leave a trailing comma before the closing bracket
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = json.loads(text.rstrip("]").rstrip().rstrip(",") + "]")
    events = data["traceEvents"] if isinstance(data, dict) else data
    return [e for e in events if e.get("ph") == "X" and "dur" in e]


def is_op(e):
    return e["name"].startswith("aten::")


def is_autograd(e):
    return e["name"].startswith("autograd::engine::evaluate_function")


def shapes_of(e):
    s = e.get("shape")
    if s is None:
        s = e.get("args", {}).get("Input Dims")
    return s or []


def summarise(path, top=12):
    events = [e for e in load(path) if is_op(e) or is_autograd(e)]
    by_thread = defaultdict(list)
    for e in events:
        by_thread[(e.get("pid"), e.get("tid"))].append(e)
    self_time = defaultdict(float)
    calls = defaultdict(int)
    top_level = []
    for evs in by_thread.values():
        evs.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        stack = []  # (end, event, children time)
        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and ts >= stack[-1][0] - 1e-3:
                stack.pop()
            if stack:
                stack[-1][2][0] += dur
            elif is_op(e):
                top_level.append(e)
            stack.append((ts + dur, e, [0.0]))
            e["_children"] = stack[-1][2]
    ops = [e for e in events if is_op(e)]
    for e in ops:
        self_time[e["name"]] += float(e["dur"]) - e["_children"][0]
        calls[e["name"]] += 1
    start = min(float(e["ts"]) for e in events)
    end = max(float(e["ts"]) + float(e["dur"]) for e in events)
    span = end - start
    busy = sum(float(e["dur"]) for e in top_level)
    scalar = sum(1 for e in top_level if any(isinstance(s, list) and len(s) == 0 for s in shapes_of(e)[:2])
                 and len(shapes_of(e)) >= 2)
    ranked = sorted(self_time.items(), key=lambda kv: -kv[1])[:top]
    nodes = [e for e in events if is_autograd(e)]
    b0 = min((float(e["ts"]) for e in nodes), default=end)
    b1 = max((float(e["ts"]) + float(e["dur"]) for e in nodes), default=end)
    phases = {k: [0, 0.0] for k in ("forward", "backward", "after")}
    for e in top_level:   # in the backward phase the engine's nodes are the outer events: count those instead
        ts = float(e["ts"])
        k = "forward" if ts < b0 else ("backward" if ts <= b1 else "after")
        if k != "backward":
            phases[k][0] += 1
            phases[k][1] += float(e["dur"])
    phases["backward"] = [len(nodes), b1 - b0 if nodes else 0.0]
    scalar_clones = sum(1 for e in ops if e["name"] == "aten::clone" and shapes_of(e)[:1] == [[]])
    return {
        "trace": path,
        "wall_span_ms": round(span / 1e3, 1),
        "top_level_ops": len(top_level),
        "all_ops": len(ops),
        "autograd_nodes": sum(1 for e in events if is_autograd(e)),
        "busy_share": round(busy / span, 3) if span else 0,
        "copies": {n: calls[n] for n in COPY_OPS if calls[n]},
        "scalar_operand_ops": scalar,
        "syncs": {n: calls[n] for n in SYNC_OPS if calls[n]},
        "top_self_ms": [(n, round(t / 1e3, 2), calls[n]) for n, t in ranked],
        "scalar_clones": scalar_clones,
        "phases": {k: {"calls": c, "ms": round(t / 1e3, 1)} for k, (c, t) in phases.items()},
    }


def main(argv):
    as_json = "--json" in argv
    paths = [a for a in argv if a != "--json"]
    if not paths:
        sys.exit(__doc__)
    sums = [summarise(p) for p in paths]
    if as_json:
        print(json.dumps(sums, indent=1))
        return 0
    for s in sums:
        print(f"\n{s['trace']}")
        print(f"  wall span {s['wall_span_ms']} ms (profiled); top-level ops {s['top_level_ops']}, all aten ops "
              f"{s['all_ops']}, autograd nodes {s['autograd_nodes']}; busy in top-level ops {s['busy_share']:.0%}")
        print(f"  copies {s['copies']}; ops with a 0-d (scalar) operand {s['scalar_operand_ops']}; scalar clones "
              f"{s['scalar_clones']}; syncs {s['syncs']}")
        print("  phases (top-level calls, ms): " + "; ".join(f"{k} {v['calls']}, {v['ms']}" for k, v in s["phases"].items()))
        print("  top ops by self time (ms, calls): " + "; ".join(f"{n} {t} ({c})" for n, t, c in s["top_self_ms"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
