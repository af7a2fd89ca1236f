"""What the end-to-end tests share: running checks, waiting, and finding the program's
controls over AT-SPI by their accessible names (test_gui.py, test_mnist.py).

The names and texts are the program's English msgids; with NW_E2E_LANGUAGE set (run-gui-tests.sh
sets "ko" for the Korean run, with LANGUAGE=ko) T() and friends translate them through the build
tree's compiled catalogue (BUILD/po/<lang>/LC_MESSAGES/neurowire.mo), as the program does."""
import gettext
import os
import re
import time
import traceback

import pyatspi

results = []

LANGUAGE = os.environ.get("NW_E2E_LANGUAGE") or None
_catalog = gettext.NullTranslations()


def use_catalog(build):
    """Reads the catalogue of NW_E2E_LANGUAGE from the build tree (English without it)."""
    global _catalog
    if LANGUAGE:
        _catalog = gettext.translation("neurowire", os.path.join(build, "po"), languages=[LANGUAGE])
    print(f"language: {LANGUAGE or 'en (C)'}", flush=True)


def T(msgid, context=None):
    """A text of the program as it shows it in this run's language."""
    return _catalog.pgettext(context, msgid) if context else _catalog.gettext(msgid)


def TN(singular, plural, n):
    return _catalog.ngettext(singular, plural, n)


def format_regex(fmt):
    """A printf format of the program (already translated) as a regular expression that
    matches the texts it makes: %s anything, numbers as numbers."""
    out = []
    for part in re.split(r"(%(?:\d+\$)?[-+ #0]*\*?\d*(?:\.\*|\.\d+)?(?:ll|l|z)?[sdufgx%])", fmt):
        if not part:
            continue
        if part.startswith("%") and len(part) > 1:
            conv = part[-1]
            out.append("%" if conv == "%" else ".*?" if conv == "s" else r"[-+0-9.e,kx]+")
        else:
            out.append(re.escape(part))
    return "".join(out)


def matches_format(text, msgid):
    """Whether `text` is what the format `msgid` makes, in this run's language."""
    return re.fullmatch(format_regex(T(msgid)), text, re.S) is not None


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
