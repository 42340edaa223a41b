#!/usr/bin/env bash
# Issue 14's one device script: ThinkLab against Transformers + PEFT on the same card, in one session.
#
#   bash environment/gpu/device_run.sh              on the GPU machine, from the device copy's root (≤ 8 minutes
#                                                   expected; each step has a timeout; NATIVE_STEP=0 saves up to 150 s)
#   environment/gpu/device_run.sh --dry-run         here, on the CPU: every step with tiny shapes, so that the run
#                                                   on the card cannot fail on a typo (about 2 minutes; figures mean
#                                                   nothing). Needs a build (mvn -DskipTests package) and the peer
#                                                   (environment/lab bench train makes build/peer/venv).
#
# Steps, each logged with its start time into $OUT/run.log:
#   (a) the machine: the card (nvidia-smi) or the CPU; versions of Python, torch, transformers, peft, Java
#   (b) builds against the installed PyTorch, in the background: DJL's JNI (build_djl_jni.sh, from $C/djl-jni:
#       DJL v0.36.0's native sources, carried) and the lab's native extension when environment/native/build.sh
#       exists; either missing is reported and skipped
#   (c) parity: Hugging Face's golden numbers again (environment/parity/make_golden.py, compared with the committed
#       golden.json) while the builds run; after them, the PEFT round trip (environment/parity/peft_roundtrip.py
#       --from the committed files: ThinkLab's side runs on the rebuilt JNI)
#   (d) the Hugging Face baseline (hf_baseline.py: sdpa with and without checkpointing), also during the builds
#   (e) ThinkLab's StepBenchmark on the same shape and batch: Nanbeige4-3B, fp16 base, 4 x 4 x 2048, checkpointing;
#       before it, the native extension against DJL's code on the device (NativeOps --check, seconds), and with
#       unless NATIVE_STEP=0, the StepBenchmark again on the extension (THINKLAB_NATIVE) in NATIVE_PREC (default
#       bf16, the seed run's precision: the extension gives DJL bf16)
#   (f) one step profiled (thinklab bench step --profile: a Chrome trace, CUDA events included on a GPU) and its
#       summary (environment/peer/op_profile.py)
# Results: $OUT/<date>-<card>-*.json|log (copy them to environment/gpu/results/ and write RESULTS.md's section).
#
# Environment: C (default .gpu-carry: jre/, jars/ with thinklab.jar and its runtime jars, djl-jni/), OUT (default
# /tmp/out; build/gpu-dry-run with --dry-run), STEPS (ThinkLab's timed steps, default 3), SKIP_HF, SKIP_PARITY,
# NATIVE_STEP, NATIVE_PREC.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DRY=0
for a in "$@"; do
  case $a in
    --dry-run) DRY=1 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "device_run.sh: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done
C=${C:-$ROOT/.gpu-carry}
if [[ $DRY == 1 ]]; then
  OUT=${OUT:-$ROOT/build/gpu-dry-run}
  PY=${PY:-$ROOT/build/peer/venv/bin/python}
  JAVA=(java -Dai.djl.offline=true -cp "$ROOT/lib/target/thinklab.jar:$ROOT/lib/target/lib/*")
  # the Nanbeige shape and batch become the tiny thinker's at one short sequence; fp32 (fp16 is slow on a CPU)
  SHAPE=tiny-thinker PREC=fp32 MICRO=1 ACCUM=1 SEQ=64 GC=on
  HF_ARGS=(--dry-run --modes sdpa:on,eager:on --warmup 1 --steps 1)
else
  OUT=${OUT:-/tmp/out}
  PY=${PY:-python3}
  JAVA=("$C/jre/bin/java" -Xmx24g -Dai.djl.offline=true -cp "$C/jars/*")
  SHAPE=nanbeige4-3b PREC=fp16 MICRO=4 ACCUM=4 SEQ=2048 GC=on
  HF_ARGS=(--modes "${HF_MODES:-sdpa:on,sdpa:off}" --warmup 1 --steps 2)
fi
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
exec > >(tee -a "$OUT/run.log") 2>&1
t0=$(date +%s)
stamp() { echo "== [$(( $(date +%s) - t0 )) s] $*"; }
fail=0
step_rc() { local rc=$1 what=$2; echo "exit code: $rc ($what)"; [[ $rc == 0 ]] || fail=$((fail + 1)); }
need() { [[ -e $1 ]] || { echo "missing: $1 ($2)"; exit 1; }; }

stamp "(a) the machine (dry run: $DRY)"
need "$PY" "the peer's Python"
if [[ $DRY == 1 ]]; then
  need "$ROOT/lib/target/thinklab.jar" "build first: mvn -B -ntp -DskipTests package"
  CARD=cpu-dry-run PEAK=0
  lscpu | grep -E "Model name|^CPU\(s\)"
else
  need "$C/jre/bin/java" "the carried Java runtime"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
  CARD=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1 | tr 'A-Z ' 'a-z-' | tr -cd 'a-z0-9-')
  PEAK=$("$PY" -c 'import torch; n = torch.cuda.get_device_name(0); print(989 if ("H100" in n or "H200" in n) else 0)')
fi
"$PY" -c 'import platform, torch, transformers, peft; print({"python": platform.python_version(), "torch": torch.__version__, "cuda": torch.version.cuda, "transformers": transformers.__version__, "peft": peft.__version__})' \
  || { echo "the peer's packages are missing"; exit 1; }
"${JAVA[0]}" -version 2>&1 | head -1
P="$OUT/$(date +%Y-%m-%d)-$CARD"
TL=$("$PY" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
TV=$("$PY" -c 'import torch; print(torch.__version__.split("+")[0])')

stamp "(b) builds against torch $TV (background)"
bash -n "$ROOT/environment/gpu/build_djl_jni.sh" || fail=$((fail + 1))
[[ -f $TL/../include/torch/extension.h ]] && echo "torch headers: $TL/../include" || echo "torch headers missing"
if [[ -d $C/djl-jni/src ]]; then
  ( PATH="$(dirname "$PY"):$PATH" bash "$ROOT/environment/gpu/build_djl_jni.sh" "$C/djl-jni" /tmp/djljni \
      > /tmp/djljni.out 2>&1 ) &
  JNI_BUILD=$!
else
  echo "DJL JNI: skipped (no DJL sources in $C/djl-jni; the dry run has none, the card's carry must)"
  JNI_BUILD=""
fi
NATIVE_LIB=""
if [[ -x $ROOT/environment/native/build.sh ]]; then
  stamp "native extension: environment/native/build.sh"
  if [[ $DRY == 1 ]]; then   # the CPU: DJL's own libtorch (asked from Java), the peer's headers
    "$ROOT/environment/native/build.sh" > "$P-native-build.log" 2>&1
  else                       # the card: the installed PyTorch's libraries and headers, the carried jni.h
    THINKLAB_LIBTORCH="$TL" THINKLAB_TORCH_INCLUDE="$TL/../include" THINKLAB_JNI_INCLUDE="$C/djl-jni/include" \
      "$ROOT/environment/native/build.sh" > "$P-native-build.log" 2>&1
  fi
  step_rc $? "native extension build"; tail -1 "$P-native-build.log"
  [[ -f $ROOT/build/native/libthinklab_native.so ]] && NATIVE_LIB=$ROOT/build/native/libthinklab_native.so
else
  echo "native extension: skipped (no environment/native/build.sh on this branch)"
fi

stamp "(c) parity: Hugging Face's golden numbers on this machine"
if [[ -z ${SKIP_PARITY:-} ]]; then
  timeout 150 "$PY" "$ROOT/environment/parity/make_golden.py" --out "$OUT/parity-golden" > "$P-make-golden.log" 2>&1
  step_rc $? "make_golden.py"
  "$PY" - "$ROOT/lib/src/test/resources/parity/golden.json" "$OUT/parity-golden/golden.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
d = max(abs(a[k] - b[k]) for k in a if k.startswith("loss"))
print(f"HF golden losses, committed vs this machine: max |diff| {d:.2e} ({'ok' if d < 1e-4 else 'DIFFERENT'})")
sys.exit(0 if d < 1e-4 else 1)
EOF
  step_rc $? "golden losses"
fi

stamp "(d) the Hugging Face baseline"
if [[ -z ${SKIP_HF:-} ]]; then
  timeout 240 "$PY" "$ROOT/environment/gpu/hf_baseline.py" "${HF_ARGS[@]}" --out "$P-hf_baseline.json" \
    > "$P-hf_baseline.log" 2>&1
  step_rc $? "hf_baseline.py"
  "$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); [print(r) for r in d["runs"]]' "$P-hf_baseline.json"
fi

if [[ -n $JNI_BUILD ]]; then
  stamp "waiting for the JNI build"
  wait "$JNI_BUILD"; cat /tmp/djljni.out
  if [[ -f /tmp/djljni/libdjl_torch.so ]]; then
    cp /tmp/djljni/libdjl_torch.so "$TL/0.36.0-libdjl_torch.so"
    export PYTORCH_LIBRARY_PATH="$TL" PYTORCH_VERSION="$TV" PYTORCH_FLAVOR=${PYTORCH_FLAVOR:-cu130}
  else
    echo "no JNI built: ThinkLab's steps below will fail"; fail=$((fail + 1))
  fi
fi

stamp "(c) parity: the PEFT round trip (ThinkLab through DJL on this machine's libtorch)"
if [[ -z ${SKIP_PARITY:-} ]]; then
  timeout 150 "$PY" "$ROOT/environment/parity/peft_roundtrip.py" --java "${JAVA[*]}" \
    --from "$ROOT/lib/src/test/resources/peft-roundtrip" --out "$OUT/peft-roundtrip" > "$P-peft-roundtrip.log" 2>&1
  step_rc $? "PEFT round trip"
  tail -1 "$P-peft-roundtrip.log"
fi

if [[ -n $NATIVE_LIB ]]; then
  stamp "(e) the native extension against DJL's code on this device (NativeOps --check)"
  timeout 120 "${JAVA[@]}" -Dthinklab.native="$NATIVE_LIB" io.thinklab.model.NativeOps --check \
    > "$P-native-check.log" 2>&1
  step_rc $? "native check"; cat "$P-native-check.log"
fi

stamp "(e) ThinkLab's StepBenchmark: $SHAPE, $PREC, $MICRO x $ACCUM x $SEQ, checkpointing $GC"
[[ $DRY == 1 ]] || { nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 > /tmp/mem.txt & POLL=$!; }
timeout "${BENCH_TIMEOUT:-150}" "${JAVA[@]}" io.thinklab.train.StepBenchmark "$SHAPE" "$PREC" "$MICRO" "$ACCUM" "$SEQ" \
  "${STEPS:-3}" "$GC" "$P-thinklab-step.jsonl" "$PEAK" > "$P-thinklab-step.log" 2>&1
step_rc $? "StepBenchmark"
tail -1 "$P-thinklab-step.log" | cut -c1-400
if [[ -n $NATIVE_LIB && ${NATIVE_STEP:-1} == 1 ]]; then
  stamp "(e) the same StepBenchmark on the native extension, ${NATIVE_PREC:-bf16}"
  timeout "${BENCH_TIMEOUT:-150}" "${JAVA[@]}" -Dthinklab.native="$NATIVE_LIB" io.thinklab.train.StepBenchmark \
    "$SHAPE" "${NATIVE_PREC:-bf16}" "$MICRO" "$ACCUM" "$SEQ" "${STEPS:-3}" "$GC" "$P-thinklab-native-step.jsonl" "$PEAK" \
    > "$P-thinklab-native-step.log" 2>&1
  step_rc $? "StepBenchmark, native"
  tail -1 "$P-thinklab-native-step.log" | cut -c1-400
fi
if [[ $DRY == 0 ]]; then
  kill "$POLL"
  echo "peak GPU memory used (nvidia-smi, MiB): $(sort -n /tmp/mem.txt | tail -1)" | tee "$P-thinklab-mem.txt"
fi

stamp "(f) one step profiled"
timeout "${PROFILE_TIMEOUT:-120}" "${JAVA[@]}" io.thinklab.cli.ThinkLab bench step --shape "$SHAPE" --precision "$PREC" \
  --checkpointing --micro "$MICRO" --accum "$ACCUM" --seq "$SEQ" --steps 2 --profile "$P-trace.json" \
  > "$P-profile.log" 2>&1
step_rc $? "profiled step"
"$PY" "$ROOT/environment/peer/op_profile.py" "$P-trace.json" | tee "$P-trace-summary.txt"
[[ $DRY == 1 ]] || gzip -f "$P-trace.json"

stamp "done: $fail step(s) failed; results: $P-*"
exit $(( fail > 0 ))
