"""What the end-to-end tests share: running checks, waiting, and finding the program's
controls over AT-SPI by their accessible names (test_gui.py, test_mnist.py)."""
import re
import time
import traceback

import pyatspi

results = []


def check(name, fn):
    """Runs one check, prints PASS or FAIL with its time, and records it."""
    t0 = time.monotonic()
    try:
        fn()
        results.append((name, True))
        print(f"PASS {name} ({time.monotonic() - t0:.1f} s)", flush=True)
    except Exception as e:  # noqa: BLE001 - report every failure the same way
        results.append((name, False))
        print(f"FAIL {name}: {e}", flush=True)
        traceback.print_exc()


def summary_exit_code():
    """Prints the counts; 0 when every check passed and at least one ran."""
    passed = sum(1 for _, ok in results if ok)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


def wait_for(pred, timeout=10.0, interval=0.1, what="condition"):
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        try:
            last = pred()
            if last:
                return last
        except Exception as e:  # noqa: BLE001 - the tree changes under us
            last = e
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def find_app(name="neurowire"):
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.name == name:
            return app
    return None


def find(root, name, role=None, showing=False):
    def match(a):
        if a is None or a.name != name:
            return False
        if role is not None and a.getRole() != role:
            return False
        if showing and not a.getState().contains(pyatspi.STATE_SHOWING):
            return False
        return True
    return pyatspi.utils.findDescendant(root, match, True)


def need(root, name, role=None, timeout=10.0):
    return wait_for(lambda: find(root, name, role), timeout, what=f"control '{name}'")


def text_of(acc):
    try:
        t = acc.queryText()
        return t.getText(0, t.characterCount)
    except NotImplementedError:
        return acc.description or ""


def find_value(root, name):
    """A label that shows a value under a fixed accessible name (its text is not its name:
    that tells it from a caption or a palette entry with the same words)."""
    def match(a):
        return (a is not None and a.name == name and a.getRole() == pyatspi.ROLE_LABEL
                and text_of(a) != name)
    return pyatspi.utils.findDescendant(root, match, True)


# Searching the tree costs many round trips to a program that is busy training, so every
# control is looked up once and kept (the objects stay valid while their widgets live).
_found = {}


def value(root, name, timeout=10.0):
    key = ("value", name)
    if key not in _found:
        _found[key] = wait_for(lambda: find_value(root, name), timeout, what=f"label '{name}'")
    return text_of(_found[key])


def control(root, name, role=None, timeout=10.0):
    key = (name, role)
    if key not in _found:
        _found[key] = need(root, name, role, timeout)
    return _found[key]


def press(acc):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "press", "activate", "toggle"):
            action.doAction(i)
            return
    action.doAction(0)


def label_number(root, name):
    s = value(root, name)
    m = re.search(r"-?\d+(\.\d+)?(e-?\d+)?", s)
    if not m:
        raise AssertionError(f"'{name}' shows no number: {s!r}")
    return float(m.group(0))


def is_checked(acc):
    st = acc.getState()
    return st.contains(pyatspi.STATE_CHECKED) or st.contains(pyatspi.STATE_PRESSED)
