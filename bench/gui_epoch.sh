#!/usr/bin/env bash
# Training the 784-256-256-10 MNIST network (examples/mnist-mlp.json) in the desktop program
# against neurowire-cli, both on the CPU backend (issue 5: the program's per-epoch time within
# 10% of the CLI's). The window runs under Xvfb with --play and NW_DEBUG_FPS=1, which prints
# when each epoch ended, as the trainer's thread timed it, counted from Play (the trainer
# installed, the data loaded). The CLI's figure is its training time ("seconds": reports and
# the final evaluation left out). Both train EPOCHS epochs; the figures are seconds per epoch
# over all of them, and the first epoch alone (the window's includes its first frames in MNIST
# mode). RUNS runs of each, alternating.
# The window evaluates the 10,000 test digits at each epoch's end (the digit view lists each
# epoch's test accuracy); the CLI's training time leaves its reports out. So the CLI runs a
# third time with --test and a report at each epoch's end only, timed from the start of
# training to each epoch's last step with the reports before it (its epoch events' "elapsed"):
# the same work as the window's, which the last two lines compare.
# And the window's trainer runs without the window (build/bench/runner_epoch: an NwRunner with
# the window's options, its snapshots taken and dropped): the window over that is what the
# window itself costs the trainer, the runner over the CLI --test what the runner costs.
#   bench/gui_epoch.sh [BUILD_DIR] [RUNS] [EPOCHS] [SPEC]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-3}
epochs=${3:-3}
spec=${4:-examples/mnist-mlp.json}
export NW_BACKEND=cpu GSK_RENDERER=cairo
command -v xvfb-run >/dev/null || { echo "gui_epoch.sh: xvfb-run is missing (tools/setup.sh)" >&2; exit 1; }

ended () {   # ended LOG EPOCH: when the window says that epoch ended, in seconds after Play
  sed -n "s/.*mnist data: epoch $2 ended \([0-9.]*\) s after Play.*/\1/p" "$1" | head -1
}

gui=() gui1=() cli=() cli1=() clit=() clit1=() run=() run1=()
for ((i = 1; i <= runs; i++)); do
  log=$(mktemp)
  # The window is stopped as soon as it has printed the last epoch's time.
  timeout 300 xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
    NW_DEBUG_FPS=1 "$0" --play "$1" >"$2" 2>&1 & pid=$!
    for _ in $(seq 3000); do grep -q "mnist data: epoch $3 ended" "$2" && break; sleep 0.1; done
    kill $pid; wait $pid 2>/dev/null || true' "$build/app/neurowire" "$spec" "$log" "$epochs" || true
  t=$(ended "$log" "$epochs") t1=$(ended "$log" 1)
  rm -f "$log"
  [ -n "$t" ] && [ -n "$t1" ] || { echo "gui_epoch.sh: the window printed no epoch time" >&2; exit 1; }
  gui+=("$t") gui1+=("$t1")
  rlog=$("$build/bench/runner_epoch" "$epochs" "$spec")
  r=$(sed -n "s/^epoch $epochs ended \([0-9.]*\) s after Play/\1/p" <<<"$rlog")
  r1=$(sed -n "s/^epoch 1 ended \([0-9.]*\) s after Play/\1/p" <<<"$rlog")
  [ -n "$r" ] && [ -n "$r1" ] || { echo "gui_epoch.sh: runner_epoch printed no epoch time" >&2; exit 1; }
  run+=("$r") run1+=("$r1")
  # The CLI's epoch events carry no time: its first epoch is a separate 1-epoch run.
  c=$("$build/app/neurowire-cli" train --spec "$spec" --epochs "$epochs" --backend cpu --json --quiet \
      | python3 -c 'import json,sys; print(json.loads(sys.stdin.readlines()[-1])["seconds"])')
  c1=$("$build/app/neurowire-cli" train --spec "$spec" --epochs 1 --backend cpu --json --quiet \
      | python3 -c 'import json,sys; print(json.loads(sys.stdin.readlines()[-1])["seconds"])')
  read -r ct ct1 < <("$build/app/neurowire-cli" train --spec "$spec" --epochs "$epochs" --backend cpu --json \
      --test --log-every 1000000000 | python3 -c '
import json, sys
e = {o["epoch"]: o["elapsed"] for o in map(json.loads, sys.stdin) if o["event"] == "epoch"}
print(e[max(e)], e[1])')
  cli+=("$c") cli1+=("$c1") clit+=("$ct") clit1+=("$ct1")
  echo "run $i: $epochs epochs: window $t s, its runner alone $r s, neurowire-cli $c s" \
       "(with a test pass per epoch $ct s); epoch 1: window $t1 s, runner $r1 s, neurowire-cli $c1 s ($ct1 s)"
done
python3 - "$epochs" "${gui[*]}" "${cli[*]}" "${gui1[*]}" "${cli1[*]}" "${clit[*]}" "${clit1[*]}" \
    "${run[*]}" <<'PY'
import statistics, sys
n = int(sys.argv[1])
g, c, g1, c1, ct, ct1, ru = ([float(x) for x in a.split()] for a in sys.argv[2:9])
mg, mc, mct = statistics.median(g) / n, statistics.median(c) / n, statistics.median(ct) / n
m1, k1, kt1 = statistics.median(g1), statistics.median(c1), statistics.median(ct1)
print(f"median per epoch over {n}: window {mg:.3f} s, neurowire-cli {mc:.3f} s: window/CLI = {mg / mc:.2f}")
print(f"median first epoch: window {m1:.3f} s, neurowire-cli {k1:.3f} s: window/CLI = {m1 / k1:.2f}")
print(f"with a test pass per epoch on both sides: median per epoch over {n}: window {mg:.3f} s, "
      f"neurowire-cli --test {mct:.3f} s: window/CLI = {mg / mct:.2f}")
print(f"with a test pass per epoch on both sides: median first epoch: window {m1:.3f} s, "
      f"neurowire-cli --test {kt1:.3f} s: window/CLI = {m1 / kt1:.2f}")
# The machine's speed drifts between runs (a shared VM): each run's own ratio, its window
# beside the CLI runs right after it, says more than the ratio of two medians.
r = [a / b for a, b in zip(g, c)]
rt = [a / b for a, b in zip(g, ct)]
print(f"median of the runs' own ratios over {n} epochs: window/CLI = {statistics.median(r):.2f}, "
      f"window/CLI --test = {statistics.median(rt):.2f} (runs: "
      + " ".join(f"{x:.2f}/{y:.2f}" for x, y in zip(r, rt)) + ")")
# Where the window's time goes: the runner's own work (test passes, snapshots) over the CLI
# --test, and the window over its runner alone; minima, the machine's fastest state.
print(f"minima over {len(g)} runs of {n} epochs: window {min(g):.3f} s, runner alone {min(ru):.3f} s, "
      f"CLI --test {min(ct):.3f} s, CLI {min(c):.3f} s: window/runner = {min(g) / min(ru):.2f}, "
      f"runner/CLI --test = {min(ru) / min(ct):.2f}, window/CLI = {min(g) / min(c):.2f}")
PY
