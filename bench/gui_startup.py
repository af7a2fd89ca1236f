#!/usr/bin/python3
"""Startup of the desktop program to a usable window, as a user sees it: from launch until the
Play button is on the accessibility bus and sensitive, then until the first training step is
counted after pressing it. Run under Xvfb and a D-Bus session (bench/gui_startup.sh does both).

    gui_startup.py BUILD_DIR RUNS BACKEND...     (BACKEND: cpu, auto; sets NW_BACKEND)
"""
import os
import re
import statistics
import subprocess
import sys
import time

import pyatspi

build, runs, backends = sys.argv[1], int(sys.argv[2]), sys.argv[3:] or ["cpu"]
app_path = os.path.join(build, "app", "neurowire")


def find_app(pid):
    for a in pyatspi.Registry.getDesktop(0):
        if a is not None and a.name == "neurowire" and a.get_process_id() == pid:
            return a
    return None


def find(root, pred):
    return pyatspi.utils.findDescendant(root, pred, True)


def wait(pred, timeout=30, step=0.005, what="it"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            r = pred()
            if r:
                return r
        except Exception:  # noqa: BLE001 - the tree changes under us
            pass
        time.sleep(step)
    raise SystemExit(f"timed out waiting for {what}")


for backend in backends:
    usable, trained = [], []
    for _ in range(runs):
        env = dict(os.environ, NW_BACKEND=backend)
        env.pop("NO_AT_BRIDGE", None)
        t0 = time.monotonic()
        proc = subprocess.Popen([app_path, "examples/xor-deep-sigmoid.json"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            app = wait(lambda: find_app(proc.pid), what="the program on the bus")
            play = wait(lambda: find(app, lambda a: a is not None and a.name == "Play"
                                     and a.getState().contains(pyatspi.STATE_SENSITIVE)),
                        what="Play")
            usable.append(time.monotonic() - t0)
            step = wait(lambda: find(app, lambda a: a is not None and a.name == "Step counter"
                                     and a.getRole() == pyatspi.ROLE_LABEL), what="the step counter")
            play.queryAction().doAction(0)
            text = step.queryText()
            wait(lambda: int(re.sub(r"\D", "", text.getText(0, text.characterCount)) or 0) > 0,
                 what="a step")
            trained.append(time.monotonic() - t0)
        finally:
            proc.terminate()
            proc.wait()
        time.sleep(0.5)
    print(f"NW_BACKEND={backend:4s}: usable window {statistics.median(usable):.2f} s "
          f"(median of {runs}; {min(usable):.2f}-{max(usable):.2f}), first step counted "
          f"{statistics.median(trained):.2f} s", flush=True)
