#!/usr/bin/env bash
# The one prepared GPU-machine check for issue 8. Run from the repository root of the device copy:
#   bash .gpu-carry/device_check.sh
# (a) nvidia-smi and versions; (b) the parity golden files -> $OUT/parity.tgz; (c) `thinklab gpu --json`
# (JCuda + DJL 0.36) against the machine's pip PyTorch, with the PYTORCH_* variants DJL reads; (d) DJL's JNI
# rebuilt against that PyTorch (built in the background during (b) and (c)); (e) the HF baseline
# -> $OUT/hf_baseline.json. Everything is logged to $OUT/run.log.
# Expects in $C (default .gpu-carry): make_golden.py, hf_baseline.py, build_djl_jni.sh, jre/ (a jlink
# runtime), jars/ (thinklab.jar + its runtime jars without pytorch-native-cpu), djl-jni/ (see build_djl_jni.sh).
set -u
C=${C:-$PWD/.gpu-carry}
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
exec > >(tee -a "$OUT/run.log") 2>&1
t0=$(date +%s)
stamp() { echo "== [$(( $(date +%s) - t0 )) s] $*"; }

stamp "(a) machine"
nvidia-smi
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
nproc; free -g | head -2; ldconfig -p | grep -E "libcuda.so|libcudart" | head -4
python3 -c 'import platform, torch, transformers, peft, safetensors; print({"python": platform.python_version(), "torch": torch.__version__, "cuda": torch.version.cuda, "transformers": transformers.__version__, "peft": peft.__version__, "safetensors": safetensors.__version__, "device": torch.cuda.get_device_name(0)})'
"$C/jre/bin/java" -version

stamp "(d) DJL JNI build starts in the background"
set -m   # the build gets its own process group, so it can be stopped with all its compilers
( nice -n 10 bash "$C/build_djl_jni.sh" "$C/djl-jni" /tmp/djljni > /tmp/djljni.out 2>&1 ) &
BUILD_PID=$!
set +m

stamp "(b) golden files"
if [ -z "${SKIP_GOLDEN:-}" ]; then
  timeout 150 python3 "$C/make_golden.py" --out /tmp/parity && tar -C /tmp -czf "$OUT/parity.tgz" parity
fi

stamp "(c) thinklab gpu --json: JCuda + DJL 0.36.0 against the machine's PyTorch"
TL=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
echo "torch lib: $TL"; ls "$TL"
JAVA=("$C/jre/bin/java" -Dai.djl.offline=true -cp "$C/jars/*" io.thinklab.cli.ThinkLab gpu --json)
variant() {
  local name=$1; shift
  stamp "variant $name: $*"
  env DJL_CACHE_DIR="/tmp/djl-$name" "$@" timeout 60 "${JAVA[@]}"
  echo "exit code: $?"
}
variant v0-no-env
variant v1-2.11.0-cu130 PYTORCH_LIBRARY_PATH="$TL" PYTORCH_VERSION=2.11.0 PYTORCH_FLAVOR=cu130
variant v2-2.7.1-cu128 PYTORCH_LIBRARY_PATH="$TL" PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128
variant v3-path-only PYTORCH_LIBRARY_PATH="$TL"
stamp "the shipped cu128 JNI against this libtorch: unresolved symbols"
python3 -c 'import glob, zipfile; z = zipfile.ZipFile(glob.glob("'"$C"'/jars/pytorch-jni-*.jar")[0]); open("/tmp/jni-cu128.so", "wb").write(z.read("jnilib/linux-x86_64/cu128/libdjl_torch.so"))'
LD_LIBRARY_PATH="$TL" ldd -r /tmp/jni-cu128.so > /tmp/ldd128.txt 2>&1
echo "undefined symbols: $(grep -c 'undefined symbol' /tmp/ldd128.txt)"
grep -v 'undefined symbol' /tmp/ldd128.txt
grep 'undefined symbol' /tmp/ldd128.txt | head -8 | sed 's/(.*//' | awk '{print $3}' | (c++filt 2>/dev/null || cat)

stamp "(d) waiting for the JNI build (at most until 200 s)"
while kill -0 "$BUILD_PID" 2>/dev/null && [ $(( $(date +%s) - t0 )) -lt 200 ]; do sleep 2; done
if kill -0 "$BUILD_PID" 2>/dev/null; then echo "JNI build still running: stopped"; kill -- -"$BUILD_PID"; sleep 1; fi
cat /tmp/djljni.out; cp /tmp/djljni/build.log "$OUT/djl_jni_build.log" 2>/dev/null
if [ -f /tmp/djljni/libdjl_torch.so ]; then
  LD_LIBRARY_PATH="$TL" ldd -r /tmp/djljni/libdjl_torch.so 2>&1 | grep -c 'undefined symbol' | sed 's/^/rebuilt JNI undefined symbols: /'
  cp /tmp/djljni/libdjl_torch.so "$TL/0.36.0-libdjl_torch.so"
  variant v4-rebuilt-jni PYTORCH_LIBRARY_PATH="$TL" PYTORCH_VERSION=2.11.0 PYTORCH_FLAVOR=cu130
  variant v5-rebuilt-jni-path-only PYTORCH_LIBRARY_PATH="$TL"
fi

stamp "(e) HF baseline"
[ -n "${SKIP_BASELINE:-}" ] || timeout 270 python3 "$C/hf_baseline.py" --out "$OUT/hf_baseline.json"
echo "exit code: $?"
stamp done
