#!/usr/bin/env bash
# Sets up (system packages, MNIST), builds, and opens the desktop program with the deep
# all-sigmoid XOR network (press Play, or Space, to train it).
#   tools/run.sh [neurowire options...]   (e.g. --play)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
if [ -f build/build.ninja ]; then meson setup --reconfigure build >/dev/null; else meson setup build >/dev/null; fi
ninja -C build
exec build/app/neurowire "$@" examples/xor-deep-sigmoid.json
