#!/usr/bin/env bash
# ThinkLab's native extension: environment/native/thinklab_native.cpp (the fused ops) and djl_bf16.cpp (bf16 for
# DJL's JNI) -> build/native/libthinklab_native.so, compiled
# against the headers of the libtorch DJL loads and linked to that libtorch (io.thinklab.model.NativeOps loads it).
#
#   environment/native/build.sh        (environment/lab native: the same after a Maven build; skipped when up to date)
#
# What it compiles against, each taken from the first place that has it:
#   libtorch  THINKLAB_LIBTORCH (a folder with libtorch_cpu.so and libc10.so), else the folder DJL's engine loads on
#             this machine, asked from Java (io.thinklab.model.NativeOps --libtorch; needs lib/target/thinklab.jar)
#   headers   THINKLAB_TORCH_INCLUDE, else <libtorch>/../include (a pip-installed torch), else the peer's
#             build/peer/venv (PyPI's torch of the same version, installed by environment/lab for the PEFT round
#             trip), else build/native/torch-include/<version>/: fetched once from PyPI (pip download
#             torch==<version>, about 0.8 GB; only torch/include, 52 MB, is kept)
#   jni.h     THINKLAB_JNI_INCLUDE, else the JDK's include/ (JAVA_HOME, or javac on PATH)
# The C++ ABI (-D_GLIBCXX_USE_CXX11_ABI) is read from libc10.so's symbols; the headers' version must be the
# libtorch's. Nothing it makes is committed: build/ is git-ignored.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SRC=("$ROOT/environment/native/thinklab_native.cpp" "$ROOT/environment/native/djl_bf16.cpp")
HEADERS=("$ROOT/environment/native/djl_handles.h")
OUTD="$ROOT/build/native"
LIB="$OUTD/libthinklab_native.so"

log() { printf '[native] %s\n' "$*"; }
die() { printf '[native] ERROR: %s\n' "$*" >&2; exit 1; }

command -v g++ >/dev/null || die "g++ not found (apt-get install g++)"
mkdir -p "$OUTD"

# ---- libtorch: the one DJL loads
VERSION=""
if [ -n "${THINKLAB_LIBTORCH:-}" ]; then
  LIBTORCH="$(cd "$THINKLAB_LIBTORCH" && pwd)"
else
  [ -f "$ROOT/lib/target/thinklab.jar" ] \
    || die "lib/target/thinklab.jar missing: build first (mvn -B -ntp -DskipTests package), or set THINKLAB_LIBTORCH"
  answer="$(java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      -cp "$ROOT/lib/target/thinklab.jar:$ROOT/lib/target/lib/*" io.thinklab.model.NativeOps --libtorch | tail -1)" \
    || die "could not start DJL's PyTorch engine to find its libtorch (set THINKLAB_LIBTORCH to its folder)"
  VERSION="${answer%% *}"
  LIBTORCH="${answer#* }"
fi
for f in libtorch_cpu.so libc10.so; do
  [ -f "$LIBTORCH/$f" ] || die "$LIBTORCH has no $f: not a libtorch folder (THINKLAB_LIBTORCH)"
done

# ---- headers of the same version
header_version() { # MAJOR.MINOR.PATCH from torch/version.h
  local v="$1/torch/csrc/api/include/torch/version.h"
  [ -f "$v" ] && awk '/define TORCH_VERSION_(MAJOR|MINOR|PATCH) /{printf "%s%s", sep, $3; sep="."}' "$v"
}
INCLUDE=""
if [ -n "${THINKLAB_TORCH_INCLUDE:-}" ]; then
  INCLUDE="$THINKLAB_TORCH_INCLUDE"
elif [ -f "$LIBTORCH/../include/ATen/ATen.h" ]; then
  INCLUDE="$(cd "$LIBTORCH/../include" && pwd)"
else
  for d in "$ROOT"/build/peer/venv/lib/python3*/site-packages/torch/include "$OUTD/torch-include/$VERSION"; do
    if [ -f "$d/ATen/ATen.h" ] && { [ -z "$VERSION" ] || [ "$(header_version "$d")" = "$VERSION" ]; }; then
      INCLUDE="$d"
      break
    fi
  done
fi
if [ -z "$INCLUDE" ]; then
  [ -n "$VERSION" ] || die "no torch headers found: set THINKLAB_TORCH_INCLUDE"
  dest="$OUTD/torch-include/$VERSION"
  log "fetching the headers of torch $VERSION from PyPI (the wheel is about 0.8 GB; only torch/include is kept)"
  tmp="$(mktemp -d "$OUTD/wheel.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download -q --no-deps --only-binary=:all: -d "$tmp" "torch==$VERSION" \
    || die "pip could not download torch==$VERSION (offline?): set THINKLAB_TORCH_INCLUDE to a torch/include folder"
  python3 - "$tmp"/torch-*.whl "$tmp/x" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    z.extractall(sys.argv[2], [n for n in z.namelist() if n.startswith("torch/include/")])
EOF
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "$tmp/x/torch/include" "$dest"
  INCLUDE="$dest"
fi
HV="$(header_version "$INCLUDE")"
[ -n "$HV" ] || die "$INCLUDE has no torch/csrc/api/include/torch/version.h: not torch's include folder"
if [ -n "$VERSION" ] && [ "$HV" != "${VERSION%%+*}" ]; then
  die "the headers in $INCLUDE are torch $HV, DJL runs libtorch $VERSION: point THINKLAB_TORCH_INCLUDE at $VERSION's"
fi

# ---- jni.h
JNI="${THINKLAB_JNI_INCLUDE:-}"
if [ -z "$JNI" ]; then
  jdk="${JAVA_HOME:-}"
  [ -n "$jdk" ] || { command -v javac >/dev/null && jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"; }
  JNI="$jdk/include"
fi
[ -f "$JNI/jni.h" ] || die "no jni.h in '$JNI': set JAVA_HOME to a JDK (not a JRE) or THINKLAB_JNI_INCLUDE"
JNI_MD="$JNI"; [ -f "$JNI/linux/jni_md.h" ] && JNI_MD="$JNI/linux"

# ---- the C++ ABI libtorch was built with: std::string symbols in std::__cxx11 (1) or not (0)
cxx11="$(nm -D --defined-only "$LIBTORCH/libc10.so" | grep -c __cxx11 || true)"
ABI=$(( cxx11 > 0 ? 1 : 0 ))

CFLAGS=(-O2 -fPIC -D_GLIBCXX_USE_CXX11_ABI="$ABI" -isystem "$INCLUDE" -isystem "$INCLUDE/torch/csrc/api/include"
        -I"$JNI" -I"$JNI_MD")
LDFLAGS=(-shared -L"$LIBTORCH" -Wl,--no-as-needed -ltorch_cpu -lc10 -ldl -Wl,-z,defs -Wl,-soname,libthinklab_native.so)
stamp="$( { sha256sum "${SRC[@]}" "${HEADERS[@]}" | cut -d' ' -f1; echo "${CFLAGS[*]} ${LDFLAGS[*]}"; } | sha256sum | cut -d' ' -f1)"
if [ -f "$LIB" ] && [ "$(cat "$LIB.stamp" 2>/dev/null)" = "$stamp" ]; then
  log "up to date: $LIB (libtorch $HV, $LIBTORCH)"
  exit 0
fi

log "compiling against torch $HV headers ($INCLUDE), linking to $LIBTORCH (C++ ABI $ABI)"
t0=$(date +%s%N)
# each source on its own core, then one link
OBJS=()
for f in "${SRC[@]}"; do OBJS+=("$OUTD/$(basename "$f" .cpp).o"); done
compile_all() {
  local std=$1 pids=() errs=() ok=0 f
  for f in "${SRC[@]}"; do
    errs+=("$OUTD/$(basename "$f" .cpp).err")
    g++ -std="$std" "${CFLAGS[@]}" -c "$f" -o "$OUTD/$(basename "$f" .cpp).o" 2>"${errs[-1]}" &
    pids+=($!)
  done
  for f in "${pids[@]}"; do wait "$f" || ok=1; done
  cat "${errs[@]}" > "$OUTD/build.err"
  return $ok
}
for std in c++17 c++20; do   # C++17 as libtorch 2.7 wants it; newer torch headers may ask for C++20
  if compile_all $std && g++ "${OBJS[@]}" "${LDFLAGS[@]}" -o "$LIB.tmp" 2>>"$OUTD/build.err"; then
    mv "$LIB.tmp" "$LIB"
    echo "$stamp" > "$LIB.stamp"
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    log "built $LIB ($std) in $((ms / 1000)).$((ms % 1000 / 100)) s"
    exit 0
  fi
  grep -qi 'c++20\|c++2a' "$OUTD/build.err" || break
done
cat "$OUTD/build.err" >&2
die "the compile failed (the errors above, also in build/native/build.err)"
