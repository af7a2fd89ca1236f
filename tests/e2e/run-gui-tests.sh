#!/usr/bin/env bash
# Runs the end-to-end GUI tests (test_gui.py, test_mnist.py) each in a private D-Bus session (for AT-SPI) on a
# virtual X server. Exits 77 (meson's "skipped") when Xvfb, dbus-run-session or Debian's
# python3-pyatspi are missing.
#   run-gui-tests.sh BUILD_DIR SOURCE_DIR
set -u
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-build}"
source="${2:-$here/../..}"
python=/usr/bin/python3

for tool in xvfb-run Xvfb dbus-run-session import; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-gui-tests: $tool is missing (tools/setup.sh installs it): skipped"
    exit 77
  fi
done
if ! "$python" -c 'import pyatspi' 2>/dev/null; then
  echo "run-gui-tests: python3-pyatspi is missing (tools/setup.sh installs it): skipped"
  exit 77
fi

# GTK talks to the accessibility bus only when nothing turned it off.
unset NO_AT_BRIDGE GTK_A11Y
export GSETTINGS_BACKEND="${GSETTINGS_BACKEND:-memory}"
export GSK_RENDERER="${GSK_RENDERER:-cairo}"
run() {
  dbus-run-session -- xvfb-run -a -s "-screen 0 1600x1000x24" "$python" "$here/$1" "$build" "$source"
}
# Pointer events generated over AT-SPI go through the registry daemon, which D-Bus starts:
# it needs the X display in its environment, so the display is handed to D-Bus's activation
# environment before the test starts.
run_with_display_for_dbus() {
  dbus-run-session -- xvfb-run -a -s "-screen 0 1600x1000x24" sh -c \
    'dbus-update-activation-environment DISPLAY XAUTHORITY && exec "$0" "$@"' \
    "$python" "$here/$1" "$build" "$source"
}
# test_gui.py: the 2D program; test_mnist.py: MNIST (77 without the MNIST files, which counts
# as passed here so that the 2D test still counts).
run test_gui.py; gui=$?
run_with_display_for_dbus test_mnist.py; mnist=$?
echo "run-gui-tests: test_gui.py exit $gui, test_mnist.py exit $mnist"
[ "$gui" -eq 0 ] && { [ "$mnist" -eq 0 ] || [ "$mnist" -eq 77 ]; }
