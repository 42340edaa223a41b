#!/usr/bin/env python3
"""`environment/lab bench train`: the same LoRA training step in ThinkLab and in Transformers + PEFT, side by side.

For each shape, ThinkLab writes the shape files (config.json + adapter_config.json) that both sides read; then
the two sides run as separate processes, interleaved (ThinkLab, peer, then peer, ThinkLab, ...) `--repeats`
times, each process timing `--steps` optimizer steps after one warm-up. Reported per shape: the median over
repeats of each side's median step, as tokens/s, and ratio = ThinkLab / peer (> 1: ThinkLab is faster).
Both sides: random weights, fp32, LoRA r 16 / alpha 32 / dropout 0.05 on q/k/v/o, the same micro-batch and
sequence length, the same thread count (OMP_NUM_THREADS and each framework's own setting), no gradient
checkpointing. The load average is read before and after each shape: on a shared machine it says how noisy
the figures are. With --native, a third side runs ThinkLab again with its native extension (THINKLAB_NATIVE=1:
build/native/libthinklab_native.so, which `environment/lab bench train --native` builds), interleaved with the other
two. Standard library only; the lab runs it with the peer's virtual environment.

  environment/lab bench train                          # both shapes, a table
  environment/lab bench train --json                   # one JSON object per shape
  environment/lab bench train --shapes tiny-thinker --repeats 5 --profile
  environment/lab bench train --native                 # also ThinkLab on its native extension
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Per shape: micro-batch, sequence length, steps per process (the first a warm-up). Chosen so one process takes
# 5–30 s on one core: the tiny thinker at its training batch, SmolLM2-135M at a batch a 2-core machine can time.
SETTINGS = {
    "tiny-thinker": dict(micro=4, seq=256, steps=8),
    "smollm2-135m": dict(micro=2, seq=256, steps=5),
}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--shapes", default="tiny-thinker,smollm2-135m")
    p.add_argument("--repeats", type=int, default=3, help="processes per side and shape, interleaved")
    p.add_argument("--threads", type=int, default=0,
                   help="threads for both sides (default: OMP_NUM_THREADS, else 1 on a machine of <= 2 cores, else all)")
    p.add_argument("--micro", type=int, help="override the shape's micro-batch")
    p.add_argument("--seq", type=int, help="override the shape's sequence length")
    p.add_argument("--steps", type=int, help="override the shape's steps per process")
    p.add_argument("--attn", default="sdpa", choices=["sdpa", "eager"], help="the peer's attention")
    p.add_argument("--profile", action="store_true",
                   help="also profile one step of each side per shape (an extra, untimed run): op counts and top ops")
    p.add_argument("--json", action="store_true", help="one JSON object per shape instead of the table")
    p.add_argument("--native", action="store_true",
                   help="also run ThinkLab with its native extension (THINKLAB_NATIVE=1), interleaved with the others")
    p.add_argument("--out", default=os.path.join(ROOT, "build", "bench"), help="shape files, raw results, traces")
    p.add_argument("--java", default=os.environ.get("THINKLAB_JAVA", "java -Dai.djl.offline=true -jar "
                                                    + os.path.join(ROOT, "lib", "target", "thinklab.jar")),
                   help="how to start ThinkLab's CLI")
    return p.parse_args()


def machine():
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next((l.split(":", 1)[1].strip() for l in out.splitlines() if l.startswith("Model name")), "")
    except OSError:
        pass
    return {"cpu": model or platform.processor(), "cores": os.cpu_count()}


def last_json(text):
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line in:\n" + text[-2000:])


def run(cmd, env, what):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-3000:] + p.stderr[-3000:])
        raise SystemExit(f"bench train: {what} failed (exit {p.returncode}): {' '.join(cmd)}")
    r = last_json(p.stdout)
    r["process_seconds"] = round(time.perf_counter() - t0, 1)
    return r


def main():
    args = parse_args()
    threads = args.threads or int(os.environ.get("OMP_NUM_THREADS", "0")) or (1 if (os.cpu_count() or 1) <= 2
                                                                                 else os.cpu_count())
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    java = args.java.split()
    os.makedirs(args.out, exist_ok=True)
    info = machine()
    rows = []
    for shape in args.shapes.split(","):
        s = dict(SETTINGS.get(shape, dict(micro=1, seq=128, steps=3)))
        for k in ("micro", "seq", "steps"):
            if getattr(args, k):
                s[k] = getattr(args, k)
        shape_dir = os.path.join(args.out, "shapes", shape)
        subprocess.run(java + ["bench", "step", "--shape", shape, "--write-shape", shape_dir], env=env, check=True)

        def commands(steps, extra=()):
            common = ["--micro", str(s["micro"]), "--seq", str(s["seq"]), "--steps", str(steps),
                      "--threads", str(threads), *extra]
            return (java + ["bench", "step", "--shape", shape] + common,
                    [sys.executable, os.path.join(HERE, "peft_step.py"), "--shape-dir", shape_dir, "--shape", shape,
                     "--attn", args.attn] + common)

        tl_cmd, peer_cmd = commands(s["steps"])
        native_env = dict(env, THINKLAB_NATIVE="1")
        load_before = os.getloadavg()
        tl, peer, nat = [], [], []
        for r in range(args.repeats):
            order = [("thinklab", tl_cmd, tl, env)] + ([("native", tl_cmd, nat, native_env)] if args.native else []) \
                + [("peer", peer_cmd, peer, env)]
            for name, cmd, into, side_env in (order if r % 2 == 0 else order[::-1]):
                into.append(run(cmd, side_env, f"{name} {shape}"))
                if not args.json:
                    print(f"  {shape:14s} {name:8s} run {r + 1}: {into[-1]['tokensPerS']:9.1f} tokens/s", flush=True)
        load_after = os.getloadavg()
        tl_tps = statistics.median(x["tokensPerS"] for x in tl)
        peer_tps = statistics.median(x["tokensPerS"] for x in peer)
        tl_cpu = statistics.median(x["cpuTokensPerS"] for x in tl)
        peer_cpu = statistics.median(x["cpuTokensPerS"] for x in peer)
        row = {
            "shape": shape,
            "thinklab_tokens_per_s": round(tl_tps, 1),
            "peer_tokens_per_s": round(peer_tps, 1),
            "ratio": round(tl_tps / peer_tps, 3),
            "peer_versions": peer[0]["versions"],
            "thinklab_cpu_tokens_per_s": round(tl_cpu, 1),
            "peer_cpu_tokens_per_s": round(peer_cpu, 1),
            "cpu_ratio": round(tl_cpu / peer_cpu, 3),
            "page_faults_per_step": {"thinklab": statistics.median(f for x in tl for f in x["minorFaults"]),
                                     "peer": statistics.median(f for x in peer for f in x["minorFaults"])},
            "thinklab_versions": tl[0]["versions"],
            "micro_batch": s["micro"], "seq": s["seq"], "timed_steps": s["steps"] - 1, "repeats": args.repeats,
            "threads": {"thinklab": tl[0]["threads"], "peer": peer[0]["threads"]},
            "peer_attn": peer[0].get("attn"),
            "thinklab_runs_tokens_per_s": [round(x["tokensPerS"], 1) for x in tl],
            "peer_runs_tokens_per_s": [round(x["tokensPerS"], 1) for x in peer],
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in load_after],
            "machine": info,
        }
        if nat:
            nat_tps = statistics.median(x["tokensPerS"] for x in nat)
            row.update({
                "thinklab_native_tokens_per_s": round(nat_tps, 1),
                "native_speedup": round(nat_tps / tl_tps, 3),
                "native_ratio": round(nat_tps / peer_tps, 3),
                "thinklab_native_cpu_tokens_per_s": round(statistics.median(x["cpuTokensPerS"] for x in nat), 1),
                "thinklab_native_runs_tokens_per_s": [round(x["tokensPerS"], 1) for x in nat],
                "native_extension": nat[0]["versions"].get("native_extension"),
            })
        with open(os.path.join(args.out, "train-" + time.strftime("%Y%m%d-%H%M%S") + f"-{shape}.json"), "w") as f:
            json.dump({**row, "thinklab_runs": tl, "peer_runs": peer, "thinklab_native_runs": nat}, f, indent=1)
        if args.profile:
            traces = {n: os.path.join(args.out, f"trace-{shape}-{n}.json") for n in ("thinklab", "peer")}
            tl_prof, _ = commands(3, ("--profile", traces["thinklab"]))
            _, peer_prof = commands(3, ("--profile", traces["peer"]))
            run(tl_prof, env, "profiling thinklab")
            run(peer_prof, env, "profiling the peer")
            row["traces"] = traces
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)

    if not args.json:
        print(f"\nmachine: {info['cpu']}, {info['cores']} cores; {threads} thread(s) per side; fp32, LoRA r16 q/k/v/o;"
              f" peer attention {args.attn}")
        print(f"{'shape':14s} {'batch':>9s} {'ThinkLab tok/s':>15s} {'peer tok/s':>11s} {'ratio':>6s}"
              f" {'per CPU-second: ThinkLab':>25s} {'peer':>7s} {'ratio':>6s}  load (1 min)")
        for r in rows:
            print(f"{r['shape']:14s} {r['micro_batch']:>3d} × {r['seq']:<4d} {r['thinklab_tokens_per_s']:15.1f}"
                  f" {r['peer_tokens_per_s']:11.1f} {r['ratio']:6.2f} {r['thinklab_cpu_tokens_per_s']:25.1f}"
                  f" {r['peer_cpu_tokens_per_s']:7.1f} {r['cpu_ratio']:6.2f}  {r['load_average_before'][0]:.1f} → "
                  f"{r['load_average_after'][0]:.1f}")
        if args.native:
            print(f"\n{'shape':14s} {'ThinkLab tok/s':>15s} {'native tok/s':>13s} {'speed-up':>9s} {'native / peer':>14s}")
            for r in rows:
                print(f"{r['shape']:14s} {r['thinklab_tokens_per_s']:15.1f} {r['thinklab_native_tokens_per_s']:13.1f}"
                      f" {r['native_speedup']:9.2f} {r['native_ratio']:14.2f}")
            print(f"native: {rows[0]['native_extension']}" if rows else "")
        v = rows[0]["peer_versions"] if rows else {}
        print("peer: " + ", ".join(f"{k} {x}" for k, x in v.items()) + "; ratio = ThinkLab / peer, medians of "
              f"{args.repeats} interleaved processes per side")
        for r in rows:
            if "traces" in r:
                subprocess.run([sys.executable, os.path.join(HERE, "op_profile.py"), r["traces"]["thinklab"],
                                r["traces"]["peer"]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
