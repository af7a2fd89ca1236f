#!/usr/bin/python3
"""End-to-end test of lessons in the window, driven over AT-SPI as a teacher drives it.

Run under Xvfb and a D-Bus session whose activation environment has the display (keys are
generated through the registry daemon; tests/e2e/run-gui-tests.sh does both):

    test_lessons.py BUILD_DIR SOURCE_DIR

Starts BUILD_DIR/app/neurowire without a network, with the demo course of tests/e2e/lessons
(--course), and: opens the lesson browser from the banner of a first start, opens a lesson
from it, answers the step's question (the explanation shows, and the run trains to the
step's end at the lesson's pace, which it did not do before the answer), sees locked controls
refuse (insensitive, the lesson's reason in their description), steps through the lesson
with Page Down and Right (what a presentation clicker sends; Right in a text field stays
there), enters presenter mode with F5 (the side
panel and the header's data menu fold away) and leaves it with Escape, and leaves the lesson
(the panel goes, the network stays). The lesson's texts are checked in the run's language
(NW_E2E_LANGUAGE=ko: the lesson's Korean texts and the program's Korean names). Prints
'N passed, N failed'. With NW_SCREENSHOT_DIR set it saves screenshots at those moments.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import pyatspi

from atspi_e2e import (LANGUAGE, T, check, control, find_app, is_checked, label_number, need,
                       press, summary_exit_code, use_catalog, value, wait_for)

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
SOURCE = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else ".")
APP = os.path.join(BUILD, "app", "neurowire")
COURSE = os.path.join(SOURCE, "tests", "e2e", "lessons")
SHOTS = os.environ.get("NW_SCREENSHOT_DIR")
use_catalog(BUILD)
LANG = "ko" if LANGUAGE == "ko" else "en"

with open(os.path.join(COURSE, "xor-hidden.json"), encoding="utf-8") as f:
    LESSON = json.load(f)
STEPS = LESSON["steps"]

PAGE_DOWN, F5, ESCAPE, RIGHT = 0xFF56, 0xFFC2, 0xFF1B, 0xFF53


def L(text):
    """A lesson text in this run's language."""
    return text[LANG]


def key(keysym):
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    time.sleep(0.1)


def click(acc):
    """A click in the middle of `acc`, as a pointer makes it (a list row has no action)."""
    ext = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    x, y = ext.x + ext.width // 2, ext.y + ext.height // 2
    pyatspi.Registry.generateMouseEvent(x, y, "abs")
    time.sleep(0.1)
    pyatspi.Registry.generateMouseEvent(x, y, "b1c")
    time.sleep(0.2)


def point_at(acc):
    """The pointer over `acc`: keys go to its window (there is no window manager)."""
    ext = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    pyatspi.Registry.generateMouseEvent(ext.x + ext.width // 2, ext.y + ext.height // 2, "abs")
    time.sleep(0.1)


def showing(acc):
    """Shown: GTK 4.8 reports VISIBLE (the widget's own visibility), not SHOWING."""
    return acc.getState().contains(pyatspi.STATE_VISIBLE)


def sensitive(acc):
    return acc.getState().contains(pyatspi.STATE_SENSITIVE)


def screenshot(name):
    if not SHOTS:
        return
    os.makedirs(SHOTS, exist_ok=True)
    path = os.path.join(SHOTS, name + ".png")
    subprocess.run(["import", "-window", "root", path], check=False)
    print(f"  screenshot {path}")


def counter_text(app):
    return value(app, T("Step of the lesson"))


def step_counter(i, n):
    return T("Step %d of %d").replace("%d", str(i), 1).replace("%d", str(n), 1)


tmp = tempfile.mkdtemp(prefix="nw-e2e-lessons-")
env = dict(os.environ)
env.setdefault("GSETTINGS_BACKEND", "memory")
env.setdefault("NW_BACKEND", "cpu")
env.pop("NO_AT_BRIDGE", None)
env["NEUROWIRE_DATA_DIR"] = os.path.join(tmp, "no-data")
proc = subprocess.Popen([APP, "--course", COURSE], env=env, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT)
state = {}


def test_startup_offers_lessons():
    app = wait_for(find_app, 60, what="the neurowire application on the accessibility bus")
    state["app"] = app
    control(app, T("Play"), timeout=20)
    # A start without a network file of the user's: the banner offers the course.
    browse = control(app, T("Browse lessons"), pyatspi.ROLE_PUSH_BUTTON)
    wait_for(lambda: showing(browse), 10, what="the lessons banner at a first start")
    need(app, T("Lessons"), pyatspi.ROLE_PUSH_BUTTON)   # the header's button


def test_open_from_browser():
    app = state["app"]
    press(control(app, T("Browse lessons"), pyatspi.ROLE_PUSH_BUTTON))
    title = "1. " + L(LESSON["title"])

    def row():
        return pyatspi.utils.findDescendant(
            app, lambda a: a is not None and a.getRole() == pyatspi.ROLE_LIST_ITEM
            and a.name.startswith(title), True)
    r = wait_for(row, 10, what=f"the browser's row '{title}'")
    screenshot("browser")
    click(r)
    wait_for(lambda: counter_text(app) == step_counter(1, len(STEPS)), 10,
             what="the lesson panel at step 1")
    assert value(app, T("Lesson")) == L(LESSON["title"])
    assert value(app, T("Step title")) == L(STEPS[0]["title"])
    assert value(app, T("Step text")) == L(STEPS[0]["text"])
    assert value(app, T("Question")) == L(STEPS[0]["question"]["text"])
    subtitle = value(app, T("Network"))
    assert LESSON["spec"]["name"] in subtitle, subtitle


def test_question_then_training():
    app = state["app"]
    # Nothing trains before the class answers.
    time.sleep(1.0)
    assert label_number(app, T("Step counter")) == 0, "trained before the question was answered"
    q = STEPS[0]["question"]
    answer = q["answer"]
    choice = T("Answer %d: %s").replace("%d", str(answer + 1), 1).replace("%s", L(q["choices"][answer]), 1)
    press(control(app, choice, pyatspi.ROLE_PUSH_BUTTON))
    wait_for(lambda: value(app, T("Explanation")) == L(q["explain"]), 10, what="the explanation")
    explain = control(app, T("Explanation"))
    wait_for(lambda: showing(explain), 5, what="the explanation to show")
    screenshot("answered")
    end = STEPS[0]["actions"][0]["until"]["step"]
    # At the lesson's pace (500 steps/s) the step's 2,000 steps take about 4 s; then it stops.
    wait_for(lambda: label_number(app, T("Step counter")) == end, 30, interval=0.3,
             what=f"the run to stop at step {end}")
    time.sleep(0.5)
    assert label_number(app, T("Step counter")) == end, "the run went past the step's end"


def test_locked_control_refuses():
    app = state["app"]
    optimizer = control(app, T("Optimizer"), pyatspi.ROLE_COMBO_BOX)
    assert not sensitive(optimizer), "the optimizer is locked by the lesson"
    reason = L(LESSON["locks"][0]["reason"])
    want = T("Locked by the lesson: %s").replace("%s", reason)
    assert optimizer.description == want, optimizer.description
    data = control(app, T("Dataset"), pyatspi.ROLE_COMBO_BOX)
    assert not sensitive(data), "the data menu is locked by the lesson"


def test_page_down_steps_through():
    app = state["app"]
    point_at(control(app, T("Lesson panel")))
    key(PAGE_DOWN)
    wait_for(lambda: counter_text(app) == step_counter(2, len(STEPS)), 10,
             what="Page Down to step 2")
    assert value(app, T("Step text")) == L(STEPS[1]["text"])
    wait_for(lambda: LESSON["networks"]["hidden"]["name"] in value(app, T("Network")), 10,
             what="step 2's network")
    screenshot("step2")
    # The arrow keys move a text cursor where the focus is in a field: the lesson stays.
    seed = control(app, T("Seed"), pyatspi.ROLE_SPIN_BUTTON)
    click(seed)   # (GTK 4.8 has no AT-SPI grabFocus)
    wait_for(lambda: seed.getState().contains(pyatspi.STATE_FOCUSED), 5, what="the seed field focused")
    key(RIGHT)
    key(RIGHT)
    time.sleep(0.5)
    assert counter_text(app) == step_counter(2, len(STEPS)), "Right in a text field moved the lesson"
    # Elsewhere Right is what a clicker sends for "next".
    restart = control(app, T("Start this step again"), pyatspi.ROLE_PUSH_BUTTON)
    click(restart)   # step 2 again, the focus on the panel's button
    wait_for(lambda: restart.getState().contains(pyatspi.STATE_FOCUSED), 5, what="a button focused")
    key(RIGHT)
    wait_for(lambda: counter_text(app) == step_counter(3, len(STEPS)), 10,
             what="Right to step 3")
    assert value(app, T("Step title")) == L(STEPS[2]["title"])
    key(PAGE_DOWN)   # the last step: nothing after it
    time.sleep(0.5)
    assert counter_text(app) == step_counter(3, len(STEPS))


def height(acc):
    return acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS).height


def test_presenter_mode():
    app = state["app"]
    side = control(app, T("Side panel"))
    title = control(app, T("Lesson"))     # one line: its height is the text's size
    assert is_checked(side)
    normal = height(title)
    point_at(control(app, T("Lesson panel")))
    key(F5)
    # Large text (the window's font at 150%) and the side panel folded.
    wait_for(lambda: not is_checked(side) and height(title) >= 1.3 * normal, 10,
             what=f"presenter mode: the side panel folded, the text larger than {normal} px")
    print(f"  the lesson's title: {normal} px high, {height(title)} px in presenter mode")
    screenshot("presenter")
    key(ESCAPE)
    wait_for(lambda: is_checked(side) and height(title) == normal, 10,
             what="Escape to leave presenter mode")


def test_leave_lesson():
    app = state["app"]
    name = value(app, T("Network"))
    next_button = control(app, T("Next"), pyatspi.ROLE_PUSH_BUTTON)
    press(control(app, T("Leave lesson"), pyatspi.ROLE_PUSH_BUTTON))
    optimizer = control(app, T("Optimizer"), pyatspi.ROLE_COMBO_BOX)
    wait_for(lambda: sensitive(optimizer), 10, what="leaving to unlock the controls")
    assert not sensitive(next_button), "no lesson to move through after leaving"
    panel = control(app, T("Lesson panel"))
    assert height(panel) <= 1, "the lesson panel should be gone"
    assert value(app, T("Network")) == name, "leaving keeps the network"


try:
    check("a first start offers the lessons", test_startup_offers_lessons)
    if "app" in state:
        check("a lesson opens from the browser", test_open_from_browser)
        check("the question holds training; an answer lets it run", test_question_then_training)
        check("a locked control refuses and says why", test_locked_control_refuses)
        check("Page Down and Right step through the lesson (not from a text field)",
              test_page_down_steps_through)
        check("F5 enters presenter mode, Escape leaves it", test_presenter_mode)
        check("leaving the lesson keeps the network", test_leave_lesson)
finally:
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    log = out.decode(errors="replace").strip()
    if log:
        print("--- program output ---")
        print(log[-4000:])

sys.exit(summary_exit_code())
