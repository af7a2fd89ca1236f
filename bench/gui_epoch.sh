#!/usr/bin/env bash
# Training the 784-256-256-10 MNIST network (examples/mnist-mlp.json) in the desktop program
# against neurowire-cli, both on the CPU backend (issue 5: the program's per-epoch time within
# 10% of the CLI's). RUNS rounds, each running, one after the other:
# - the window, under Xvfb with --play and NW_DEBUG_FPS=1, which prints when each epoch ended,
#   as the trainer's thread timed it, counted from Play (the trainer installed, the data
#   loaded);
# - the window's trainer without the window (build/bench/runner_epoch: an NwRunner with the
#   window's options, its snapshots taken and dropped), timed the same way;
# - neurowire-cli, timed from the start of training to each epoch's last step (its epoch
#   events' "elapsed"; one report line per epoch, nothing else);
# - neurowire-cli with --test: a pass over the 10,000 test digits at each epoch's end, as the
#   window makes (the digit view lists each epoch's test accuracy), inside its "elapsed".
# Figures: seconds per epoch over all EPOCHS (the window's first epoch includes its first
# frames in MNIST mode), and per epoch after the first ((end of EPOCHS - end of 1) / (EPOCHS -
# 1): the steady state, which needs EPOCHS >= 2). The machine's speed may drift between runs
# (a shared VM), so each round's own ratios are given, and minima (its fastest state) beside
# medians. The window over its runner is what the window itself costs the trainer; the runner
# over the CLI --test what the runner's snapshots cost.
#   bench/gui_epoch.sh [BUILD_DIR] [RUNS] [EPOCHS] [SPEC]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-3}
epochs=${3:-3}
spec=${4:-examples/mnist-mlp.json}
export NW_BACKEND=cpu GSK_RENDERER=cairo
command -v xvfb-run >/dev/null || { echo "gui_epoch.sh: xvfb-run is missing (tools/setup.sh)" >&2; exit 1; }
[ "$epochs" -ge 2 ] || { echo "gui_epoch.sh: EPOCHS must be at least 2" >&2; exit 1; }

ended () {   # ended LOG EPOCH: when the window says that epoch ended, in seconds after Play
  sed -n "s/.*mnist data: epoch $2 ended \([0-9.]*\) s after Play.*/\1/p" "$1" | head -1
}

cli_epochs () {   # cli_epochs [ARGS...]: "END_OF_1 END_OF_EPOCHS" from neurowire-cli's events
  "$build/app/neurowire-cli" train --spec "$spec" --epochs "$epochs" --backend cpu --json \
      --log-every 1000000000 "$@" | python3 -c '
import json, sys
e = {o["epoch"]: o["elapsed"] for o in map(json.loads, sys.stdin) if o["event"] == "epoch"}
print(e[1], e[max(e)])'
}

rows=()
for ((i = 1; i <= runs; i++)); do
  log=$(mktemp)
  # The window is stopped as soon as it has printed the last epoch's time.
  timeout 300 xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
    NW_DEBUG_FPS=1 "$0" --play "$1" >"$2" 2>&1 & pid=$!
    for _ in $(seq 3000); do grep -q "mnist data: epoch $3 ended" "$2" && break; sleep 0.1; done
    kill $pid; wait $pid 2>/dev/null || true' "$build/app/neurowire" "$spec" "$log" "$epochs" || true
  g1=$(ended "$log" 1) gn=$(ended "$log" "$epochs")
  rm -f "$log"
  [ -n "$g1" ] && [ -n "$gn" ] || { echo "gui_epoch.sh: the window printed no epoch time" >&2; exit 1; }
  rlog=$("$build/bench/runner_epoch" "$epochs" "$spec")
  r1=$(sed -n "s/^epoch 1 ended \([0-9.]*\) s after Play/\1/p" <<<"$rlog")
  rn=$(sed -n "s/^epoch $epochs ended \([0-9.]*\) s after Play/\1/p" <<<"$rlog")
  [ -n "$r1" ] && [ -n "$rn" ] || { echo "gui_epoch.sh: runner_epoch printed no epoch time" >&2; exit 1; }
  read -r c1 cn < <(cli_epochs)
  read -r t1 tn < <(cli_epochs --test)
  rows+=("$g1 $gn $r1 $rn $c1 $cn $t1 $tn")
  echo "run $i: epoch 1 and $epochs ended after: window $g1 $gn s, its runner alone $r1 $rn s," \
       "neurowire-cli $c1 $cn s, neurowire-cli --test $t1 $tn s"
done
python3 - "$epochs" "${rows[@]}" <<'PY'
import statistics, sys
n = int(sys.argv[1])
runs = [[float(x) for x in row.split()] for row in sys.argv[2:]]
names = ("window", "runner alone", "CLI", "CLI --test")
for label, per_epoch in (
        (f"per epoch over all {n}", lambda first, last: last / n),
        (f"per epoch after the first (epochs 2-{n})", lambda first, last: (last - first) / (n - 1))):
    # fig[k][i]: configuration k's figure in round i
    fig = [[per_epoch(r[2 * k], r[2 * k + 1]) for r in runs] for k in range(4)]
    print(f"{label}, seconds: " + ", ".join(
        f"{name} median {statistics.median(f):.3f} min {min(f):.3f}" for name, f in zip(names, fig)))
    w, ru, c, ct = fig
    own = lambda a, b: statistics.median([x / y for x, y in zip(a, b)])
    print(f"  window/CLI = {own(w, c):.2f} (rounds' own, median; minima {min(w) / min(c):.2f}), "
          f"window/CLI --test = {own(w, ct):.2f} ({min(w) / min(ct):.2f}), "
          f"window/runner = {own(w, ru):.2f} ({min(w) / min(ru):.2f}), "
          f"runner/CLI --test = {own(ru, ct):.2f} ({min(ru) / min(ct):.2f})")
    print("  rounds' window/CLI: " + " ".join(f"{x / y:.2f}" for x, y in zip(w, c)))
PY
