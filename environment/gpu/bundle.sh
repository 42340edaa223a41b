#!/usr/bin/env bash
# The offline GPU bundle: everything `thinklab` needs on a linux-x86_64 machine with no JDK and no network,
# except libtorch (a GPU machine brings its own PyTorch; see README-BUNDLE.md inside the bundle).
#
#   environment/gpu/bundle.sh [--with-cpu-libtorch]       (after: mvn -B -ntp -o -DskipTests package)
#
# Writes build/bundle/thinklab-<version>-linux-x86_64/ and build/bundle/thinklab-<version>-linux-x86_64.tar.gz:
#   runtime/   a jlink'd Java runtime with only the modules the lab's jars use (jdeps), no JShell, no javac
#   lib/       thinklab.jar and its dependencies; jars with natives for many platforms keep linux-x86_64's only;
#              DJL's pytorch-native-cpu jar (the CPU libtorch, 112 MB) only with --with-cpu-libtorch
#   bin/thinklab   the launcher: the bundled runtime, -Dai.djl.offline=true, the lab's main class
#   data/      the samples, the tiny tokenizer and (when fetched) the offline Qwen3 tokenizer, so the built-in
#              runs' preflights work from the bundle's folder
#   tools/build_djl_jni.sh   rebuilds DJL's PyTorch JNI against an installed PyTorch (see RESULTS.md)
#   README-BUNDLE.md
# Needs a JDK 17 with jlink and jdeps (the build machine's), zip, tar.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WITH_CPU=0
for a in "$@"; do
  case $a in
    --with-cpu-libtorch) WITH_CPU=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "bundle.sh: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "bundle.sh: $*" >&2; exit 1; }
JAR=$ROOT/lib/target/thinklab.jar
[[ -f $JAR && -d $ROOT/lib/target/lib ]] || die "no $JAR: build first (mvn -B -ntp -o -DskipTests package)"
for t in jlink jdeps zip tar; do command -v $t >/dev/null || die "$t not found (a JDK 17 with jlink, zip, tar)"; done
JV=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
[[ $JV == 17 ]] || die "java is version $JV: jlink must match the lab's target, JDK 17"

VERSION=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)
NAME=thinklab-$VERSION-linux-x86_64
OUT=$ROOT/build/bundle
DIR=$OUT/$NAME
rm -rf "$DIR" "$OUT/$NAME.tar.gz"
mkdir -p "$DIR/lib" "$DIR/bin" "$DIR/data" "$DIR/tools"

# ---------------------------------------------------------------- jars
cp "$JAR" "$DIR/lib/"
for j in "$ROOT"/lib/target/lib/*.jar; do
  case $(basename "$j") in
    pytorch-native-cpu-*) [[ $WITH_CPU == 1 ]] && cp "$j" "$DIR/lib/" ;;
    *) cp "$j" "$DIR/lib/" ;;
  esac
done
# natives for other platforms: DuckDB (osx, arm64, windows: 190 MB unpacked), the tokenizers, DJL's JNI
strip_natives() { # jar, then unzip -l patterns of entries to delete
  local jar=$1; shift
  [[ -f $jar ]] || return 0
  zip -q -d "$jar" "$@" >/dev/null 2>&1 || true
}
strip_natives "$DIR"/lib/duckdb_jdbc-*.jar 'libduckdb_java.so_osx_*' 'libduckdb_java.so_linux_arm64' \
  'libduckdb_java.so_windows_*'
strip_natives "$DIR"/lib/tokenizers-*.jar 'native/lib/linux-aarch64/*' 'native/lib/osx-*' 'native/lib/win-*'
strip_natives "$DIR"/lib/pytorch-jni-*.jar 'jnilib/linux-aarch64/*' 'jnilib/osx-*' 'jnilib/win-*'
# JCuda: the probe (io.thinklab.gpu) uses the driver API only; the PTX compiler, NVRTC and runtime bindings go
strip_natives "$DIR"/lib/jcuda-natives-*.jar 'lib/libJNvPTXCompiler-*' 'lib/libJNvrtc-*' 'lib/libJCudaRuntime-*'
for need in "libduckdb_java.so_linux_amd64" "native/lib/linux-x86_64/cpu/libtokenizers.so" \
            "jnilib/linux-x86_64/cu128/libdjl_torch.so" "lib/libJCudaDriver-12.6.0-linux-x86_64.so"; do
  for j in "$DIR"/lib/*.jar; do unzip -Z1 "$j"; done | grep -x "$need" >/dev/null || die "stripping lost $need"
done

# ---------------------------------------------------------------- modules: jdeps over every jar
# Plain jars are read on the class path; modular jars that require other modules (jackson, slf4j-simple ...)
# need the module path, where the pytorch-native-cpu jar's automatic module name is invalid: it is not there.
MP=$(mktemp -d)
trap 'rm -rf "$MP"' EXIT
cp "$DIR"/lib/*.jar "$MP/"
rm -f "$MP"/pytorch-native-cpu-*.jar
mods=""
for j in "$MP"/*.jar; do
  m=$(jdeps --ignore-missing-deps --print-module-deps --no-recursive --multi-release 17 --class-path "$MP/*" "$j" 2>/dev/null \
      | tail -1) || m=""
  if [[ ! $m =~ ^[a-z] ]]; then
    m=$(jdeps --ignore-missing-deps --print-module-deps --no-recursive --multi-release 17 --module-path "$MP" "$j" 2>/dev/null \
        | tail -1) || die "jdeps cannot read $(basename "$j")"
  fi
  mods="$mods,$m"
done
# jdk.crypto.ec: TLS to the Hugging Face hub (a service, invisible to jdeps); jdk.zipfs: zip file systems;
# jdk.localedata is left out: java.base holds the English/ROOT locale data the lab prints with.
MODULES=$(echo "$mods,jdk.crypto.ec,jdk.zipfs" | tr ',' '\n' | grep -E '^(java|jdk)\.' | sort -u | paste -sd, -)
echo "modules: $MODULES"

# ---------------------------------------------------------------- runtime
echo "jdeps: ${SECONDS}s"
jlink --add-modules "$MODULES" --strip-debug --strip-native-debug-symbols exclude-debuginfo-files \
  --no-header-files --no-man-pages --compress=2 \
  --output "$DIR/runtime"
echo "$MODULES" | tr ',' '\n' > "$DIR/runtime/MODULES.txt"

# ---------------------------------------------------------------- launcher, data, tools, README
cat > "$DIR/bin/thinklab" <<'LAUNCHER'
#!/bin/sh
# ThinkLab from the offline bundle: the bundled Java runtime (not the system's), the lab's jars, DJL offline.
# THINKLAB_JAVA_OPTS adds JVM options (e.g. -Xmx64g); THINKLAB_DJL_OFFLINE=false lets DJL download libtorch.
HERE=$(CDPATH= cd "$(dirname "$0")/.." && pwd)
exec "$HERE/runtime/bin/java" ${THINKLAB_JAVA_OPTS:-} -Dai.djl.offline="${THINKLAB_DJL_OFFLINE:-true}" \
  -cp "$HERE/lib/*" io.thinklab.cli.ThinkLab "$@"
LAUNCHER
chmod +x "$DIR/bin/thinklab"
cp -r "$ROOT/data/samples" "$ROOT/data/tiny-tokenizer" "$DIR/data/"
if [[ -f $ROOT/data/tokenizers/qwen3/tokenizer.json ]]; then
  mkdir -p "$DIR/data/tokenizers" && cp -r "$ROOT/data/tokenizers/qwen3" "$DIR/data/tokenizers/"
else
  echo "note: data/tokenizers/qwen3 not fetched: the Nanbeige runs' offline preflight needs --set tokenizer.path=<folder>"
fi
cp "$ROOT/environment/gpu/build_djl_jni.sh" "$DIR/tools/"
cp "$ROOT/environment/gpu/bundle-README.md" "$DIR/README-BUNDLE.md"
sed -i "s/@VERSION@/$VERSION/g; s/@MODULES@/$MODULES/g; s/@CPU@/$([[ $WITH_CPU == 1 ]] && echo 'included (--with-cpu-libtorch)' || echo 'not included')/g" \
  "$DIR/README-BUNDLE.md"

echo "jlink: ${SECONDS}s"
tar -C "$OUT" -czf "$OUT/$NAME.tar.gz" "$NAME"
echo "bundle: $DIR ($(du -sh "$DIR" | cut -f1) unpacked; runtime $(du -sh "$DIR/runtime" | cut -f1), lib $(du -sh "$DIR/lib" | cut -f1))"
echo "bundle: $OUT/$NAME.tar.gz ($(du -h "$OUT/$NAME.tar.gz" | cut -f1))"
