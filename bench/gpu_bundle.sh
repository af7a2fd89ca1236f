#!/bin/bash
# Packs what bench/gpu_run.sh needs on a machine that has a GPU but none of this project's
# libraries and no network: neurowire-cli, cl_gemm and test-cl as built here (Debian 12),
# every shared library they load but glibc's (the machine's must be 2.36 or newer), and MNIST
# gzipped. Usage: bench/gpu_bundle.sh [OUT_DIR]  (default .gpu, ignored by git).
# Then, on the GPU machine, from the source root: bash bench/gpu_run.sh OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.gpu}
data=${NEUROWIRE_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/neurowire}/mnist
[ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release -Dtests=false
[ -f build/build.ninja ] || meson setup build
ninja -C build-bench
ninja -C build tests/test-cl
cc -O2 -DCL_TARGET_OPENCL_VERSION=120 -Icl -Icore -Ibuild-bench/core -Ibuild-bench/cl -Ibuild-bench \
   bench/cl_gemm.c build-bench/cl/libnwcl.a build-bench/core/libnwcore.a \
   $(pkg-config --cflags --libs gio-2.0 json-glib-1.0 openblas OpenCL clblast) -lm -o build-bench/cl_gemm
stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/lib" "$out/mnist"
cp build-bench/app/neurowire-cli build-bench/cl_gemm build/tests/test-cl "$stage/bin/"
for b in "$stage"/bin/*; do ldd "$b"; done | awk '/=>/ {print $3} /ld-linux/ {print $1}' | sort -u |
  while read -r l; do
    case "$(basename "$l")" in
      libc.so.*|libm.so.*|ld-linux*) ;;
      *) cp -L "$l" "$stage/lib/" ;;
    esac
  done
tar -C "$stage" -cJf "$out/bundle.tar.xz" bin lib
for f in "$data"/*-ubyte; do gzip -c "$f" > "$out/mnist/$(basename "$f").gz"; done
du -sh "$out"
