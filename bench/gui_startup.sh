#!/usr/bin/env bash
# Startup of the desktop program to a usable window (issue 4: under 1 s), with the CPU pinned
# (NW_BACKEND=cpu) and with the automatic device choice (which then runs in the background),
# measured over AT-SPI under Xvfb; the AT-SPI look-ups are included, so this is an upper bound.
#   bench/gui_startup.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-5}
unset NO_AT_BRIDGE GTK_A11Y
export GSETTINGS_BACKEND=memory GSK_RENDERER=cairo
exec dbus-run-session -- xvfb-run -a -s "-screen 0 1600x1000x24" \
  /usr/bin/python3 bench/gui_startup.py "$build" "$runs" cpu auto
