#!/usr/bin/env bash
# One epoch of the 784-256-256-10 MNIST network (examples/mnist-mlp.json) in the desktop
# program against neurowire-cli, both on the CPU backend (issue 5: the program's per-epoch time
# within 10% of the CLI's). The window runs under Xvfb with --play and NW_DEBUG_FPS=1, which
# prints each epoch's wall time from Play (the trainer installed, data loaded) to the first
# snapshot after the epoch's end; the CLI's figure is its training time ("seconds", reports
# and the final evaluation left out). RUNS runs of each, alternating.
#   bench/gui_epoch.sh [BUILD_DIR] [RUNS] [SPEC]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-3}
spec=${3:-examples/mnist-mlp.json}
export NW_BACKEND=cpu GSK_RENDERER=cairo
command -v xvfb-run >/dev/null || { echo "gui_epoch.sh: xvfb-run is missing (tools/setup.sh)" >&2; exit 1; }

gui=() cli=()
for ((i = 1; i <= runs; i++)); do
  log=$(mktemp)
  # The window is stopped as soon as it has printed the epoch's time.
  timeout 300 xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
    NW_DEBUG_FPS=1 "$0" --play "$1" >"$2" 2>&1 & pid=$!
    for _ in $(seq 3000); do grep -q "mnist data: epoch 1 done" "$2" && break; sleep 0.1; done
    kill $pid; wait $pid 2>/dev/null || true' "$build/app/neurowire" "$spec" "$log" || true
  t=$(sed -n 's/.*mnist data: epoch 1 done at step [0-9]*, \([0-9.]*\) s after Play.*/\1/p' "$log" | head -1)
  rm -f "$log"
  [ -n "$t" ] || { echo "gui_epoch.sh: the window printed no epoch time" >&2; exit 1; }
  gui+=("$t")
  c=$("$build/app/neurowire-cli" train --spec "$spec" --epochs 1 --backend cpu --json --quiet \
      | python3 -c 'import json,sys; print(json.loads(sys.stdin.readlines()[-1])["seconds"])')
  cli+=("$c")
  echo "run $i: window $t s, neurowire-cli $c s"
done
python3 - "${gui[*]}" "${cli[*]}" <<'PY'
import statistics, sys
g = [float(x) for x in sys.argv[1].split()]
c = [float(x) for x in sys.argv[2].split()]
mg, mc = statistics.median(g), statistics.median(c)
print(f"median epoch: window {mg:.2f} s, neurowire-cli {mc:.2f} s: window/CLI = {mg / mc:.2f}")
PY
