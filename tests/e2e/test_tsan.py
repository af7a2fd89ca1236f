#!/usr/bin/python3
"""The desktop program built with ThreadSanitizer, used briefly as a user would (over AT-SPI),
then quit: any report from TSan fails the test (run by run-gui-tests.sh; meson's `gui-tsan`
in a build configured with -Db_sanitize=thread, which tools/test.sh makes in build-tsan/).

    test_tsan.py BUILD_DIR SOURCE_DIR

Opens examples/xor-2-2-1.json on the CPU (NW_BACKEND=cpu), looks for OpenCL devices (listed
by a GTask worker), plays a few hundred steps, then, while it plays: chooses the first OpenCL
device and at once the CPU (the choice is called off while its worker builds a trainer on the
device, which is then freed), chooses the device again and waits for the run to move there
(a trainer built by a worker, taken over between two steps on the trainer's thread, what is
left of it freed when the report reaches the main thread), and back to the CPU. Then pauses,
steps once, resets, and quits through the application's `quit` action (over D-Bus, as the
desktop would), so that the shutdown (sessions disposed, background jobs waited for) runs
under TSan too. Without an OpenCL device the moves are skipped and the test says so.

TSAN_OPTIONS comes from the environment (tests/meson.build: exitcode=66, the suppressions
in tests/tsan.supp). The program's output goes to NW_TSAN_LOG (default: a temporary file);
the test fails if it holds a ThreadSanitizer report or the program does not exit 0.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pyatspi

from atspi_e2e import (check, control, find_app, label_number, press, results,
                       summary_exit_code, value, wait_for)

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build-tsan")
SOURCE = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else ".")
APP = os.path.join(BUILD, "app", "neurowire")
APP_ID = "org.neurowire.Neurowire"
# Everything is several times slower under TSan, and the machine may be busy: generous waits,
# each one ends as soon as its condition holds.
SLOW = float(os.environ.get("NW_TSAN_SLOW", "1"))

sys.stdout.reconfigure(line_buffering=True)
tmp = tempfile.mkdtemp(prefix="nw-tsan-")
log_path = os.environ.get("NW_TSAN_LOG") or os.path.join(tmp, "neurowire.log")
env = dict(os.environ)
env.setdefault("GSETTINGS_BACKEND", "memory")
env.pop("NO_AT_BRIDGE", None)
env["NW_BACKEND"] = "cpu"
env["NEUROWIRE_DATA_DIR"] = os.path.join(tmp, "no-data")
os.makedirs(env["NEUROWIRE_DATA_DIR"], exist_ok=True)
# What tests/meson.build gives gui-tsan, for runs by hand.
env.setdefault("TSAN_OPTIONS", "halt_on_error=0:exitcode=66:history_size=4:second_deadlock_stack=1:"
               "suppressions=" + os.path.join(SOURCE, "tests", "tsan.supp"))
env.setdefault("GDK_DEBUG", "gl-disable")
# One OpenBLAS thread, as in every test: its helper threads wait for work by spinning, and
# on a small machine they took the CPU from the program's main thread (a run took 4 times as
# long, every AT-SPI request waiting on a busy main loop).
env.setdefault("OMP_NUM_THREADS", "1")
# The example without its budget of 10,001 steps: a run the budget stopped would make Play a
# Continue and the test's Pause a Play (the budget's own stop is test-ui-window's).
with open(os.path.join(SOURCE, "examples", "xor-2-2-1.json"), encoding="utf-8") as f:
    _spec = json.load(f)
_spec["training"]["steps"] = 0
example = os.path.join(tmp, "xor-2-2-1.json")
with open(example, "w", encoding="utf-8") as f:
    json.dump(_spec, f)

t_launch = time.monotonic()
log = open(log_path, "wb")
proc = subprocess.Popen([APP, example], env=env, stdout=log, stderr=subprocess.STDOUT)
state = {}


def steps():
    return label_number(state["app"], "Step counter")


def steps_beyond(n):
    """Waits for the step counter to pass `n` (a reading mid-update is retried)."""
    return wait_for(lambda: steps() > n and steps(), 60 * SLOW, interval=0.3,
                    what=f"the step counter to pass {n}")


def backend():
    return value(state["app"], "Backend")


def settled_on(prefix):
    """The device label names `prefix` and no work in progress ("CPU · moving to …")."""
    b = backend()
    return b.startswith(prefix) and "·" not in b and b


def test_startup():
    app = wait_for(find_app, 90 * SLOW, what="the neurowire application on the accessibility bus")
    state["app"] = app
    control(app, "Play", timeout=90 * SLOW)
    print(f"  usable window after {time.monotonic() - t_launch:.1f} s")
    # Every control is looked up now, while nothing trains: a search of the tree is hundreds
    # of round trips, each slow while the program is busy under TSan. Later reads are cheap.
    assert backend().startswith("CPU"), backend()
    for name in ("Step", "Reset"):
        control(app, name)
    device_button()
    print(f"  at step {steps():.0f}; controls found after {time.monotonic() - t_launch:.1f} s")


def test_play():
    app = state["app"]
    play = control(app, "Play")
    press(play)
    wait_for(lambda: play.name == "Pause", 10 * SLOW, what="the button to say Pause")
    print(f"  at step {steps_beyond(300):.0f}")


def device_button():
    """The device menu's button: the control named Device that has the click action (an
    outer box has the same name). The menu, while open, is below it on the bus: searching
    there costs a few dozen round trips to the program instead of a few hundred."""
    if "device" not in state:
        outer = control(state["app"], "Device")
        state["device"] = pyatspi.utils.findDescendant(
            outer, lambda a: a is not None and a.name == "Device"
            and a.queryAction().nActions > 0, True)
        state["device_box"] = outer
    return state["device"]


def menu_item(pred):
    """The device menu's first item whose name `pred` accepts, or None. Its items are on the
    accessibility bus only while the menu is open."""
    return pyatspi.utils.findDescendant(
        state["device_box"], lambda a: a is not None and a.getRole() == pyatspi.ROLE_MENU_ITEM
        and pred(a.name or ""), True)


def find_in_menu(pred):
    """The item `pred` accepts; when there is none and the menu is closed, opens it (and
    answers None: the caller asks again). Each search is one walk of the menu's subtree."""
    item = menu_item(pred)
    if item is None and menu_item(lambda n: n == "CPU") is None:
        press(device_button())
        time.sleep(0.3)
    return item


def choose_in_menu(pred, timeout, what):
    """Presses the device menu's first item that `pred` accepts, opening the menu (choosing
    an item closes it) and waiting for the item (the devices are listed by a worker);
    returns its name."""
    def attempt():
        return find_in_menu(pred)

    item = wait_for(attempt, timeout, interval=0.5, what=what)
    name = item.name
    press(item)
    return name


def is_opencl(name):
    return name.startswith("OpenCL: ")


def test_list_devices():
    t0 = time.monotonic()
    # On the CPU from the start (NW_BACKEND=cpu), nothing has looked for devices yet. Looked
    # for before Play: the menu is searched over the bus, which is quick while nothing trains.
    choose_in_menu(lambda n: n == "Look for OpenCL Devices", 30 * SLOW,
                   "the menu item that looks for OpenCL devices")
    # The listing runs on a worker; the menu is rebuilt when it reports back.
    state["first"] = wait_for(lambda: find_in_menu(lambda n: is_opencl(n) or n == "No OpenCL device"),
                              120 * SLOW, interval=0.5, what="the OpenCL devices to be listed").name
    print(f"  {state['first']!r} after {time.monotonic() - t0:.1f} s")
    press(device_button())   # closes the menu


def test_to_opencl_and_back():
    t0 = time.monotonic()
    name = state.get("first", "No OpenCL device")
    if name == "No OpenCL device":
        print("  no OpenCL device: the moves are skipped")
    else:
        # The first device, then at once the CPU: the choice is called off while its worker
        # builds a trainer on the device (kernels and all), which is then freed; the run stays
        # on the CPU.
        choose_in_menu(lambda n: n == name, 30 * SLOW, "the OpenCL device in the menu")
        choose_in_menu(lambda n: n == "CPU", 30 * SLOW, "the menu item CPU")
        wait_for(lambda: settled_on("CPU"), 30 * SLOW, interval=0.5,
                 what="the choice to be called off")
        print(f"  {name!r} called off: {backend()!r} after {time.monotonic() - t0:.1f} s")
        before = steps()
        choose_in_menu(is_opencl, 30 * SLOW, "the OpenCL device in the menu")
        # PoCL builds its kernels the first time (its cache keeps them after that).
        wait_for(lambda: settled_on("OpenCL"), 240 * SLOW, interval=0.5,
                 what="the run to move to OpenCL")
        print(f"  moved: {backend()!r}, step {steps_beyond(before + 100):.0f}"
              f" after {time.monotonic() - t0:.1f} s")
    before = steps()
    choose_in_menu(lambda n: n == "CPU", 30 * SLOW, "the menu item CPU")
    wait_for(lambda: settled_on("CPU"), 120 * SLOW, interval=0.5,
             what="the run to move back to the CPU")
    print(f"  back: {backend()!r}, step {steps_beyond(before + 100):.0f}"
          f" after {time.monotonic() - t0:.1f} s")


def test_pause_step_reset():
    app = state["app"]
    play = control(app, "Play")
    press(play)
    wait_for(lambda: play.name == "Play", 10 * SLOW, what="the button to say Play")
    # Paused: the counter settles (one more snapshot may still come in).
    seen = []

    def still():
        seen.append(steps())
        return len(seen) >= 2 and seen[-1] == seen[-2]

    wait_for(still, 10 * SLOW, interval=0.5, what=f"the step counter to stop (read {seen})")
    before = seen[-1]
    press(control(app, "Step"))
    wait_for(lambda: steps() == before + 1, 10 * SLOW, what="one step")
    press(control(app, "Reset"))
    wait_for(lambda: steps() == 0, 10 * SLOW, what="the step counter back at 0")


def test_quit():
    # The application's quit action, exported on the session bus by GtkApplication.
    subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID, "--object-path",
                    "/" + APP_ID.replace(".", "/"), "--method", "org.gtk.Actions.Activate",
                    "quit", "[]", "{}"], check=True, timeout=30 * SLOW, capture_output=True)
    state["rc"] = proc.wait(timeout=120 * SLOW)
    print(f"  exit status {state['rc']} after {time.monotonic() - t_launch:.1f} s in all")
    assert state["rc"] == 0, f"exit status {state['rc']} (66: ThreadSanitizer reported)"


def reports():
    """Each ThreadSanitizer report's SUMMARY line, from the program's output."""
    with open(log_path, errors="replace") as f:
        text = f.read()
    n = text.count("WARNING: ThreadSanitizer:")
    return n, re.findall(r"^SUMMARY: ThreadSanitizer: .*$", text, re.M), text


try:
    check("startup", test_startup)
    if "app" in state:
        check("look for OpenCL devices", test_list_devices)
        check("play a few hundred steps", test_play)
        check("to OpenCL and back to the CPU", test_to_opencl_and_back)
        check("pause, step, reset", test_pause_step_reset)
        check("quit", test_quit)
finally:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    log.close()
    n, summaries, text = reports()
    results.append(("no ThreadSanitizer report", n == 0))
    if n:
        print(f"FAIL {n} ThreadSanitizer report(s) in {log_path}:")
        for s in summaries:
            print("  " + s)
        first = text.find("WARNING: ThreadSanitizer:")
        print("--- the first report ---")
        print(text[first:first + 6000])
    else:
        print("PASS no ThreadSanitizer report")
        tail = text.strip()
        if tail:
            print("--- program output ---")
            print(tail[-3000:])
        if "NW_TSAN_LOG" not in os.environ:
            shutil.rmtree(tmp, ignore_errors=True)

sys.exit(summary_exit_code())
