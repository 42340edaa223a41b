#!/usr/bin/env bash
# Rebuild DJL's PyTorch JNI (libdjl_torch.so) against the PyTorch that python3 imports, for a GPU machine
# whose PyTorch has no prebuilt DJL JNI (e.g. torch 2.11 + CUDA 13; DJL 0.36.0 ships JNIs for 2.7.1 only).
#
#   build_djl_jni.sh <djl-jni folder> <out folder>
#
# <djl-jni folder> holds src/ (DJL's engines/pytorch/pytorch-native/src/main/native at the DJL tag you use)
# and include/ (DJL's api/src/main/native/djl, jni.h + jni_md.h from a JDK, and the header that
# `javac -h include PyTorchLibrary.java` writes). DJL's own build (pytorch-native/build.sh) downloads a
# libtorch zip and runs CMake; this compiles the same sources directly against the pip wheel's headers.
# Writes <out>/libdjl_torch.so and <out>/build.log. Then copy it next to libtorch.so as
# <djl version>-libdjl_torch.so and point PYTORCH_LIBRARY_PATH at that folder: DJL's LibUtils looks there
# for the JNI before its cache and before any download.
set -u
SRC=$(cd "$1" && pwd)
OUTD=$(mkdir -p "$2" && cd "$2" && pwd)
LOG=$OUTD/build.log
TORCH=$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))')
ABI=$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
CUDA_INC=""
for d in /usr/local/cuda/include $(python3 -c 'import nvidia, os; print(" ".join(os.path.join(p, "cu13", "include") for p in nvidia.__path__))' 2>/dev/null); do
  [[ -f $d/cuda_runtime_api.h ]] && { CUDA_INC=$d; break; }
done
echo "torch=$TORCH abi=$ABI cuda_include=$CUDA_INC g++=$(g++ --version | head -1)" | tee "$LOG"
FLAGS="-O2 -fPIC -D_GLIBCXX_USE_CXX11_ABI=$ABI -DUSE_CUDA -I$SRC/include -I$SRC/src -I$TORCH/include -I$TORCH/include/torch/csrc/api/include ${CUDA_INC:+-I$CUDA_INC}"
mkdir -p "$OUTD/obj"
compile() {  # one translation unit: C++17 as DJL builds it, then C++20 if the headers demand it
  local cc=$1 o="$OUTD/obj/$(basename "$1" .cc).o"
  g++ -std=c++17 $FLAGS -c "$cc" -o "$o" 2>"$o.err17" && { echo "ok c++17 $(basename "$cc")"; return 0; }
  g++ -std=c++20 $FLAGS -c "$cc" -o "$o" 2>"$o.err20" && { echo "ok c++20 $(basename "$cc")"; return 0; }
  echo "FAILED $(basename "$cc")"; return 1
}
export -f compile; export FLAGS OUTD
ls "$SRC"/src/*.cc | xargs -P "$(nproc)" -I{} bash -c 'compile {}' >>"$LOG" 2>&1
if grep -q FAILED "$LOG"; then
  for e in "$OUTD"/obj/*.err20; do echo "== $e"; grep -m5 'error' "$e"; done >>"$LOG"
  echo "compile failed" | tee -a "$LOG"; exit 1
fi
g++ -shared -o "$OUTD/libdjl_torch.so" "$OUTD"/obj/*.o -L"$TORCH/lib" -Wl,--no-as-needed \
  -ltorch -ltorch_cpu -ltorch_cuda -lc10 -lc10_cuda -Wl,-rpath,"$TORCH/lib" >>"$LOG" 2>&1 \
  && echo "built $OUTD/libdjl_torch.so" | tee -a "$LOG"
