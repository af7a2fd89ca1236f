#!/usr/bin/env bash
# The desktop program while it trains the deep-sigmoid XOR example at full speed, under Xvfb:
# frames/s, snapshots/s and the trainer's steps/s (the window's NW_DEBUG_FPS lines), against
# neurowire-cli's steps/s for the same network in the same run. Targets (issue 4): >= 30
# frames/s, and >= 90% of the CLI's steps/s. "auto" leaves GSK_RENDERER unset: the program's
# own choice (Cairo on software OpenGL, such as Xvfb's llvmpipe: ui/nw-renderer.h).
#   bench/gui_fps.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-12}
export NW_BACKEND=cpu
command -v xvfb-run >/dev/null || { echo "gui_fps.sh: xvfb-run is missing (tools/setup.sh)" >&2; exit 1; }
# The window plays the spec without its budget (training.steps / .epochs: the window pauses
# there by itself since issue 20), so that it trains for as long as this measures.
unbudgeted=$(mktemp --suffix=.json)
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["training"].update(steps=0, epochs=0); json.dump(d, open(sys.argv[2], "w"))' \
  examples/xor-deep-sigmoid.json "$unbudgeted"
trap 'rm -f "$unbudgeted"' EXIT

for renderer in cairo gl auto; do
  log=$(mktemp)
  if [ "$renderer" = auto ]; then choice=(-u GSK_RENDERER); else choice=(GSK_RENDERER=$renderer); fi
  timeout "$secs" xvfb-run -a -s "-screen 0 1600x1000x24" \
    env "${choice[@]}" NW_DEBUG_FPS=1 "$build/app/neurowire" --play "$unbudgeted" \
    >"$log" 2>&1 || true
  grep -m1 "renderer" "$log" || true
  # Skip the first two seconds (start-up), then the medians.
  python3 - "$log" "$renderer" <<'PY'
import re, statistics, sys
rows = [tuple(map(float, m.groups())) for m in
        re.finditer(r"([\d.]+) frames/s \(clock [\d.]+\), ([\d.]+) snapshots/s, ([\d.]+) steps/s", open(sys.argv[1]).read())]
rows = rows[2:] or rows
if not rows:
    print(f"{sys.argv[2]}: no measurement"); sys.exit(0)
f, s, st = (statistics.median(c) for c in zip(*rows))
print(f"renderer {sys.argv[2]:7s}: {f:5.1f} frames/s, {s:4.1f} snapshots/s, {st:8.0f} steps/s (median of {len(rows)} s)")
PY
  rm -f "$log"
done
"$build/app/neurowire-cli" train --spec examples/xor-deep-sigmoid.json --steps 1000000 \
  --log-every 10000000 --json --quiet |
  python3 -c "import json,sys; d=json.loads(sys.stdin.readlines()[-1]); print(f'neurowire-cli     : {d[\"steps_per_s\"]:8.0f} steps/s ({d[\"backend\"]})')"
