#!/usr/bin/env bash
# The prepared GPU-machine measurement of ThinkLab's own trainer against the Hugging Face baseline, in one call:
#   bash .gpu-carry/thinklab_step.sh            (from the device copy's root; results in $OUT)
# (a) the card; (b) DJL's JNI rebuilt against the machine's PyTorch (environment/gpu/build_djl_jni.sh), in the
# background; (c) the HF baseline on this same card (hf_baseline.py: sdpa with and without checkpointing, eager
# with it); (d) io.thinklab.train.StepBenchmark: the real Trainer, Nanbeige4-3B-shaped random model, fp16 frozen
# base + fp32 LoRA r16 q/k/v/o, 16 x 2048 tokens per optimizer step, with peak GPU memory read by nvidia-smi
# every 200 ms (the caching allocator's reserve included).
# Expects in $C (default .gpu-carry): build_djl_jni.sh, djl-jni/, hf_baseline.py, jre/ (jlink runtime), jars/.
set -u
C=${C:-$PWD/.gpu-carry}
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
exec > >(tee -a "$OUT/run.log") 2>&1
t0=$(date +%s)
stamp() { echo "== [$(( $(date +%s) - t0 )) s] $*"; }

stamp "(a) the card"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
PEAK=$(python3 -c 'import torch; n = torch.cuda.get_device_name(0); print(989 if ("H100" in n or "H200" in n) else 0)')

stamp "(b) DJL JNI build (background)"
( bash "$C/build_djl_jni.sh" "$C/djl-jni" /tmp/djljni > /tmp/djljni.out 2>&1 ) &
BUILD=$!

stamp "(c) HF baseline on this card"
timeout 240 python3 "$C/hf_baseline.py" --modes "${HF_MODES:-sdpa:on,eager:on,sdpa:off}" --warmup 1 --steps 2 \
  --out "$OUT/hf_baseline.json"
echo "exit code: $?"

stamp "waiting for the JNI build"
wait "$BUILD"; cat /tmp/djljni.out
TL=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
TV=$(python3 -c 'import torch; print(torch.__version__.split("+")[0])')
cp /tmp/djljni/libdjl_torch.so "$TL/0.36.0-libdjl_torch.so" || { echo "no JNI: stop"; exit 1; }
export PYTORCH_LIBRARY_PATH="$TL" PYTORCH_VERSION="$TV" PYTORCH_FLAVOR=cu130

stamp "(d) ThinkLab StepBenchmark"
bench() {  # name micro accum gc
  local name=$1
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 > "/tmp/mem-$name.txt" &
  local POLL=$!
  stamp "bench $name: micro $2 x accum $3, checkpointing $4"
  timeout "${BENCH_TIMEOUT:-150}" "$C/jre/bin/java" -Xmx24g -Dai.djl.offline=true -DDJL_CACHE_DIR=/tmp/djl \
    -cp "$C/jars/*" io.thinklab.train.StepBenchmark nanbeige4-3b fp16 "$2" "$3" 2048 "${STEPS:-3}" "$4" \
    "$OUT/thinklab_step.jsonl" "$PEAK"
  echo "exit code: $?"
  kill $POLL
  echo "peak GPU memory used (nvidia-smi, MiB): $(sort -n "/tmp/mem-$name.txt" | tail -1)" | tee -a "$OUT/thinklab_mem.txt"
}
bench m4a4-gc 4 4 on
bench m2a8 2 8 off
[ -z "${MORE:-}" ] || bench m1a16 1 16 off
stamp done
