#!/usr/bin/env bash
# Neurowire's benchmark: the same experiments in neurowire-cli and in PyTorch (Debian's
# python3-torch), same data and settings, medians of 3 runs, ratios against the targets.
#
#   bench/run.sh [--report] [--runs N] [--coretype LIST | --both] [--torch-threads LIST]
#                [--only xor,mnist,latency] [--cl] [--torch-only] [--no-build]
#
#   --report         also rewrite bench/REPORT.md (machine, versions, table, commands)
#   --runs N         runs per measurement, the median is reported (default 3)
#   --coretype LIST  OPENBLAS_CORETYPE for each pass, comma-separated: "env" (as inherited,
#                    the default), "unset", or a core name such as Haswell or SkylakeX.
#                    Both sides of a pass run under the same value.
#   --both           two passes: OPENBLAS_CORETYPE unset, then set (to the inherited value,
#                    else Haswell)
#   --torch-threads LIST  torch.set_num_threads values to run (default: the core count,
#                    then 1); the table compares Neurowire with the faster of them
#   --only LIST      a subset of xor,mnist,latency (mnist includes the memory figure)
#   --cl             also time xor and mnist on the OpenCL backend (neurowire-cli --backend
#                    cl; PoCL on a machine without a GPU), against the same PyTorch runs
#   --torch-only     run the PyTorch side only (no build, no neurowire-cli)
#   --no-build       use build-bench/ as it is
#
# It installs what it needs and lacks (python3-torch, time, libopenblas-dev) with apt-get,
# through sudo when not root, fetches MNIST (tools/fetch-mnist.sh), builds Neurowire in its
# own release build directory build-bench/ (the developer's build/ is left alone), and compiles
# bench/sgemm_peak.c, the OpenBLAS reference for the achieved GFLOP/s.
set -euo pipefail
cd "$(dirname "$0")/.."
cmdline="bench/run.sh${*:+ $*}"

report=0 runs=3 coretype=env torch_only=0 build=1 only=xor,mnist,latency cl=0
ncores=$(nproc)
torch_threads="$ncores"
[ "$ncores" != 1 ] && torch_threads="$ncores,1"
while [ $# -gt 0 ]; do
  case "$1" in
    --report) report=1 ;;
    --runs) runs="$2"; shift ;;
    --coretype) coretype="$2"; shift ;;
    --both) coretype="unset,${OPENBLAS_CORETYPE:-Haswell}" ;;
    --torch-threads) torch_threads="$2"; shift ;;
    --only) only="$2"; shift ;;
    --torch-only) torch_only=1 ;;
    --cl) cl=1 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '[bench] %s\n' "$*" >&2; }
sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then sudo_cmd=(sudo); else
    echo "run.sh: not root and no sudo: cannot install packages" >&2; exit 1; fi
fi
updated=0
apt_install() {
  if [ "$updated" = 0 ]; then "${sudo_cmd[@]}" apt-get update -qq; updated=1; fi
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# ---- what the benchmark needs (each only when missing, so a second run installs nothing)
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  say "installing python3-torch"; apt_install python3-torch
  /usr/bin/python3 -c 'import torch' || { echo "run.sh: torch still not importable" >&2; exit 1; }
fi
[ -x /usr/bin/time ] || { say "installing time"; apt_install time; }
pkg-config --exists openblas 2>/dev/null || { say "installing libopenblas-dev"; apt_install libopenblas-dev; }
bash tools/fetch-mnist.sh >&2

# ---- Neurowire, in its own release build directory
bdir="build-bench"
cli="$bdir/app/neurowire-cli"
if [ "$torch_only" = 0 ] && [ "$build" = 1 ]; then
  if [ ! -f "$bdir/build.ninja" ]; then
    meson setup "$bdir" --buildtype=release -Dtests=false >&2
  else
    bt=$(meson introspect "$bdir" --buildoptions 2>/dev/null |
      /usr/bin/python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="buildtype"][0])' || echo "?")
    if [ "$bt" != release ]; then meson configure "$bdir" -Dbuildtype=release >&2; fi
  fi
  ninja -C "$bdir" >&2
fi
cli_args=(--cli "$PWD/$cli")
if [ "$torch_only" = 1 ]; then cli_args=(--cli /nonexistent/neurowire-cli); fi
if [ "$torch_only" = 0 ] && [ ! -x "$cli" ]; then
  echo "run.sh: $cli was not built" >&2; exit 1
fi

# ---- the OpenBLAS reference: sgemm at the MNIST step's exact shapes
mkdir -p "$bdir"
sgemm="$bdir/sgemm_peak"
# shellcheck disable=SC2046
cc -O2 -o "$sgemm" bench/sgemm_peak.c $(pkg-config --cflags --libs openblas)

say "OPENBLAS_CORETYPE in the calling environment: ${OPENBLAS_CORETYPE:-(unset)}; passes: $coretype"
say "torch.set_num_threads values: $torch_threads (cores: $ncores)"
args=(--sgemm "$PWD/$sgemm" --runs "$runs" --coretype "$coretype" --torch-threads "$torch_threads"
      --only "$only" --json-out "$bdir/bench-results.json" --command "$cmdline")
[ "$report" = 1 ] && args+=(--report bench/REPORT.md)
[ "$cl" = 1 ] && args+=(--cl)
exec /usr/bin/python3 bench/harness.py "${cli_args[@]}" "${args[@]}"
