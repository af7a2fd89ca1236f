#!/usr/bin/env bash
# Two builds of Neurowire, measured alternately in one run (so that a slow phase of the
# machine falls on both): the CLI's XOR run (steps/s), the CLI's MNIST epoch (wall seconds),
# and the desktop program training XOR under Xvfb (frames/s and steps/s from NW_DEBUG_FPS).
# Prints each side's medians and NEW/OLD. For "no regression" checks of a change.
#   bench/before_after.sh OLD_BUILD_DIR NEW_BUILD_DIR [ROUNDS] [GUI_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2 rounds=${3:-5} secs=${4:-10}
export NW_BACKEND=cpu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The window plays the spec without its budget (training.steps / .epochs: the window pauses
# there by itself since issue 20), so that it trains for as long as this measures.
unbudgeted=$out/xor-no-budget.json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["training"].update(steps=0, epochs=0); json.dump(d, open(sys.argv[2], "w"))' \
  examples/xor-deep-sigmoid.json "$unbudgeted"

cli_xor() {   # build -> steps/s
  "$1/app/neurowire-cli" train --spec examples/xor-deep-sigmoid.json --steps 200000 \
    --log-every 100000000 --json --quiet | tail -n 1 |
    python3 -c "import json,sys; print(json.loads(sys.stdin.read())['steps_per_s'])"
}
cli_mnist() {   # build -> seconds for one epoch
  local t0 t1
  t0=$(date +%s.%N)
  "$1/app/neurowire-cli" train --spec examples/mnist-mlp.json --epochs 1 --quiet --json >/dev/null
  t1=$(date +%s.%N)
  python3 -c "print($t1 - $t0)"
}
gui_xor() {   # build -> "frames/s steps/s" (medians of the 2 s reports after the first two)
  local log=$out/gui.log
  timeout "$secs" xvfb-run -a -s "-screen 0 1600x1000x24" \
    env GSK_RENDERER=cairo NW_DEBUG_FPS=1 "$1/app/neurowire" --play "$unbudgeted" \
    >"$log" 2>&1 || true
  python3 - "$log" <<'PY'
import re, statistics, sys
rows = [tuple(map(float, m.groups())) for m in
        re.finditer(r"([\d.]+) frames/s \(clock [\d.]+\), [\d.]+ snapshots/s, ([\d.]+) steps/s",
                     open(sys.argv[1]).read())]
rows = rows[2:] or rows
print(" ".join(str(statistics.median(c)) for c in zip(*rows)) if rows else "nan nan")
PY
}

for r in $(seq "$rounds"); do
  for side in old new; do
    build=${!side}
    echo "$(cli_xor "$build")" >>"$out/$side.xor"
    echo "$(cli_mnist "$build")" >>"$out/$side.mnist"
    echo "$(gui_xor "$build")" >>"$out/$side.gui"
  done
  echo "round $r done" >&2
done

python3 - "$out" "$old" "$new" "$rounds" <<'PY'
import statistics, sys, os
d, old, new, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
def col(side, name, i=0):
    return [float(l.split()[i]) for l in open(os.path.join(d, f"{side}.{name}")) if l.strip()]
rows = [("CLI XOR steps/s", "xor", 0), ("CLI MNIST epoch s", "mnist", 0),
        ("window XOR frames/s", "gui", 0), ("window XOR steps/s", "gui", 1)]
print(f"old: {old}   new: {new}   rounds: {rounds} (alternating), medians")
for label, name, i in rows:
    o, n = statistics.median(col("old", name, i)), statistics.median(col("new", name, i))
    print(f"{label:22s} old {o:12.2f}  new {n:12.2f}  new/old {n / o:6.3f}  "
          f"(old {min(col('old', name, i)):.2f}-{max(col('old', name, i)):.2f}, "
          f"new {min(col('new', name, i)):.2f}-{max(col('new', name, i)):.2f})")
PY
