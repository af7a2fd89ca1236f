#!/usr/bin/env bash
# Runs the end-to-end GUI tests (test_gui.py, test_mnist.py) each in a private D-Bus session (for AT-SPI) on a
# virtual X server. Exits 77 (meson's "skipped") when Xvfb, dbus-run-session or Debian's
# python3-pyatspi are missing.
#   run-gui-tests.sh BUILD_DIR SOURCE_DIR            # test_gui.py, then test_mnist.py
#   run-gui-tests.sh BUILD_DIR SOURCE_DIR SCRIPT     # that one alone (gui-tsan: test_tsan.py)
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
# xvfb-run -a starts its search at :99, as every other xvfb-run -a does: the second test
# could take the number the first one's server is still giving up ("cannot open display"),
# and runs beside each other could pick the same one. Each search starts at a random number.
display_start() { echo $((200 + RANDOM % 3000)); }
run() {
  dbus-run-session -- xvfb-run -a -n "$(display_start)" -s "-screen 0 1600x1000x24 -noreset" "$python" "$here/$1" "$build" "$source"
}
# -noreset: Xvfb otherwise resets when its last client leaves, and the accessibility bus's
# launcher (started by D-Bus, given the display below) connects and leaves just before the
# program starts: the program then met a resetting server ("cannot open display", 3 runs in 5).
# Pointer events generated over AT-SPI go through the registry daemon, which D-Bus starts:
# it needs the X display in its environment, so the display is handed to D-Bus's activation
# environment before the test starts.
run_with_display_for_dbus() {
  dbus-run-session -- xvfb-run -a -n "$(display_start)" -s "-screen 0 1600x1000x24 -noreset" sh -c \
    'dbus-update-activation-environment DISPLAY XAUTHORITY && exec "$0" "$@"' \
    "$python" "$here/$1" "$build" "$source"
}
if [ $# -ge 3 ]; then
  # test_lessons.py sends keys (Page Down, F5, Escape) through the registry daemon.
  case "$3" in
    test_lessons.py) run_with_display_for_dbus "$3"; rc=$? ;;
    *) run "$3"; rc=$? ;;
  esac
  echo "run-gui-tests: $3 exit $rc"
  exit "$rc"
fi
# test_gui.py: the 2D program, once in English (the test environment's LC_ALL=C.UTF-8
# LANGUAGE=C) and once in Korean: the same checks, with the accessible names and texts looked up
# in the build tree's catalogue (atspi_e2e.T). ko_KR.UTF-8 where it is generated (tools/setup.sh),
# else C.UTF-8 with LANGUAGE=ko, which glibc honours too. test_mnist.py: MNIST (77 without the
# MNIST files, which counts as passed here so that the 2D test still counts).
if locale -a 2>/dev/null | grep -qi '^ko_KR\.utf-\?8$'; then ko_locale=ko_KR.UTF-8; else ko_locale=C.UTF-8; fi
run test_gui.py; gui=$?
echo "run-gui-tests: test_gui.py in Korean (LANGUAGE=ko LC_ALL=$ko_locale)"
NW_E2E_LANGUAGE=ko LANGUAGE=ko LANG="$ko_locale" LC_ALL="$ko_locale" run test_gui.py; gui_ko=$?
run_with_display_for_dbus test_mnist.py; mnist=$?
echo "run-gui-tests: test_gui.py exit $gui, in Korean $gui_ko; test_mnist.py exit $mnist"
[ "$gui" -eq 0 ] && [ "$gui_ko" -eq 0 ] && { [ "$mnist" -eq 0 ] || [ "$mnist" -eq 77 ]; }
