#!/usr/bin/env bash
# Sets up (system packages, MNIST), builds, and runs Neurowire's main job: for now the deep
# all-sigmoid XOR network trained in the command-line tool, with its progress.
#   tools/run.sh [neurowire-cli train options...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
if [ -f build/build.ninja ]; then meson setup --reconfigure build >/dev/null; else meson setup build >/dev/null; fi
ninja -C build
exec build/app/neurowire-cli train --spec examples/xor-deep-sigmoid.json "$@"
