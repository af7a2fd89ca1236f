#!/bin/bash
# Runs the OpenCL backend on a GPU machine from a bundle made by bench/gpu_bundle.sh: the
# OpenCL test suite against the CPU backend, cl_gemm (the backend's products against
# CLBlast), MNIST and XOR training against PyTorch on CUDA (bench/torch_ref.py --device
# cuda) and on the CPU. The vendor's OpenCL driver is found on disk and named to the
# bundled ICD loader (OCL_ICD_VENDORS), so no system ICD file is needed.
# Usage, from the source root: bash bench/gpu_run.sh [BUNDLE_DIR]   (default .gpu)
# Prints everything, and copies it to $OUT/log when OUT is set.
set -uo pipefail
cd "$(dirname "$0")/.."
G=$(cd "${1:-.gpu}" && pwd)
[ -n "${OUT:-}" ] && exec > >(tee "$OUT/log") 2>&1
t0=$(date +%s)
say() { echo "[t+$(( $(date +%s) - t0 ))s] $*"; }
run=$(mktemp -d)
tar -C "$run" -xJf "$G/bundle.tar.xz"
nvidia-smi -L 2>/dev/null; grep PRETTY /etc/os-release; ldd --version | head -1
echo "$(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
icd=$(find / \( -path /proc -o -path /sys \) -prune -o -name 'libnvidia-opencl.so.1' -print 2>/dev/null | head -1)
[ -n "$icd" ] || { echo "no NVIDIA OpenCL driver (libnvidia-opencl.so.1) on this machine"; exit 1; }
mkdir -p "$run/vendors"; echo "$icd" > "$run/vendors/nvidia.icd"
export OCL_ICD_VENDORS=$run/vendors
glibc=$(ldd --version | head -1 | grep -o '[0-9.]*$')
[ "$(printf '%s\n' "$glibc" 2.36 | sort -V | head -1)" = 2.36 ] ||
  { echo "glibc $glibc here: the bundle (Debian 12) needs 2.36 or newer"; exit 1; }
export LD_LIBRARY_PATH=$run/lib
B=$run/bin
mkdir -p "$run/data/mnist"
for f in "$G"/mnist/*.gz; do gunzip -c "$f" > "$run/data/mnist/$(basename "$f" .gz)"; done
export NEUROWIRE_DATA_DIR=$run/data
say "devices"; $B/neurowire-cli devices
say "test-cl"; timeout 300 $B/test-cl 2>&1 | grep -E "testing OpenCL|FAILED|Run Summary|suites|tests|asserts|^ +[0-9]+\."
say "cl_gemm"; timeout 150 $B/cl_gemm --reps 9
for i in 1 2 3; do
  say "mnist cl $i"; $B/neurowire-cli train --spec examples/mnist-mlp.json --epochs 1 --json --quiet --backend cl
  say "mnist torch cuda $i"; python3 bench/torch_ref.py --device cuda mnist --epochs 1
  say "xor cl $i"; $B/neurowire-cli train --spec examples/xor-deep-sigmoid.json --steps 10001 --json --quiet --backend cl
  say "xor torch cuda $i"; python3 bench/torch_ref.py --device cuda xor --steps 10001
done
say "mnist cpu"; $B/neurowire-cli train --spec examples/mnist-mlp.json --epochs 1 --json --quiet --backend cpu
say "mnist torch cpu"; python3 bench/torch_ref.py mnist --epochs 1
say "latency cl"; $B/neurowire-cli latency --spec examples/mnist-mlp.json --repeat 5000 --json --backend cl
say "latency torch cuda"; python3 bench/torch_ref.py --device cuda latency --repeat 5000
say "done"
