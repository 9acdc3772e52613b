"""A class on the course's JupyterHub, end to end in a real (headless) browser.

`python3 course.py hub start` creates an instructor and two students as Unix accounts and starts
the hub on 127.0.0.1. The instructor releases Lab 01 to nbgrader's exchange; each student logs in
on the hub's login page, fetches the lab in the Assignment List, opens it in JupyterLab and writes
answers into its cells (one every task, one only the first), then Validates and Submits in the
Assignment List. The instructor collects, grades with `course.py grade` and releases feedback;
each student fetches it in the Assignment List and reads their score. `course.py hub stop` ends
the hub, its proxy and the users' servers by their pids and removes the accounts.

Needs root on Linux (as CI runs), the proxy, Chromium, Playwright and a course environment that
every account can run (this one, or build/hub-env, which .ci/run makes where this one cannot be
run by others); skipped, with what to do, where one is missing. Screenshots:
build/browser-test/hub-*.png.
"""

from __future__ import annotations

import html
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from course_tools import (
    ROOT,
    grade_id,
    headless_chromium,
    hidden_regions,
    notebook,
    partly_solved_copy,
    solved_copy,
)

pytestmark = pytest.mark.pipeline
LAB = "01_dense_autoencoders"
ARTIFACTS = ROOT / "build" / "browser-test"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("useradd"):
    pytest.skip(
        "the hub test needs root on Linux with useradd (as CI runs): it creates Unix accounts "
        "and JupyterHub starts each user's JupyterLab as that user",
        allow_module_level=True,
    )
playwright = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is missing: `pip install playwright`"
)
from hub.classroom import (  # noqa: E402 - after the skips above
    COURSE_ID,
    Classroom,
    account_exists,
    environment_problem,
)
from hub.processes import PROXY_INSTALL, running  # noqa: E402

HUB_ENV = ROOT / "build" / "hub-env" / "bin" / "python"
PYTHON = HUB_ENV if HUB_ENV.exists() else Path(sys.executable)

if not shutil.which("configurable-http-proxy"):
    pytest.skip(f"no configurable-http-proxy: {PROXY_INSTALL}", allow_module_level=True)
if account_exists("nobody") and (problem := environment_problem(PYTHON, "nobody")):
    pytest.skip(problem, allow_module_level=True)
if not CHROMIUM:
    pytest.skip(
        "no Chromium here: install your system's package (Debian/Ubuntu: `apt-get install "
        "chromium`)",
        allow_module_level=True,
    )
SUFFIX = secrets.token_hex(2)  # new accounts every run; an account that exists is never touched
USERS = [f"hubt-teacher-{SUFFIX}", f"hubt-ada-{SUFFIX}", f"hubt-ben-{SUFFIX}"]
LAB_SETTINGS = {  # a quiet JupyterLab with every cell in the page (as tests/test_browser.py)
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}  # fmt: skip


def course_py(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "course.py"), *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def hub():
    folder = Path(tempfile.mkdtemp(prefix="course-hub-"))
    started = course_py(
        "hub", "start", "--dir", folder, "--port", free_port(), "--python", PYTHON,
        "--users", *USERS,
    )  # fmt: skip
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        room = Classroom.load(folder)
        for student in room.students:
            for name, values in LAB_SETTINGS.items():
                path = room.home(student) / ".jupyter/lab/user-settings" / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(values))
            subprocess.run(
                ["chown", "-R", f"{student}:", room.home(student) / ".jupyter"], check=True
            )
        yield room
    finally:
        if (folder / "private" / "class.json").exists():
            course_py("hub", "stop", "--dir", folder)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if (folder / "jupyterhub.log").exists():
            shutil.copy(folder / "jupyterhub.log", ARTIFACTS / "hub-jupyterhub.log")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    with headless_chromium(playwright, CHROMIUM) as chromium:
        yield chromium


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"hub-{name}.png"))


def as_instructor(room: Classroom, *args) -> str:
    """A command in the instructor's course folder, as in a terminal of their JupyterLab."""
    done = room.run_as(room.instructor, *args, cwd=room.course())
    assert done.returncode == 0, f"{' '.join(map(str, args))}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def log_in(browser, room: Classroom, user: str):
    """A browser of the user's own on the hub's login page, the login sent: the hub starts the
    user's JupyterLab meanwhile (nbgrader_menu waits for it)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(120_000)  # a busy 2-core machine
    page = context.new_page()
    page.goto(f"{room.settings['bind_url']}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", room.passwords[user])
    if user == room.students[0]:
        screenshot(page, "1-login")
    page.click("#login_submit")
    return page


def nbgrader_menu(page, user: str) -> list[str]:
    """Wait for the user's JupyterLab; open its Nbgrader menu and return the items shown."""
    page.wait_for_selector("#jp-MainMenu", timeout=180_000)  # the user's server has started
    assert f"/user/{user}/lab" in page.url
    page.locator("#jp-MainMenu").get_by_role("menuitem", name="Nbgrader").click()
    items = page.locator("#jp-mainmenu-nbgrader .lm-Menu-item:visible")
    items.first.wait_for()
    return [text.strip() for text in items.all_inner_texts()]


def open_assignment_list(page) -> None:
    page.locator("#jp-MainMenu").get_by_role("menuitem", name="Nbgrader").click()
    page.locator('.lm-Menu-item[data-command="nbgrader:open-assignment-list"]').click()
    page.locator("#course_list_default", has_text=COURSE_ID).wait_for(timeout=60_000)


def write_answers(page, answers: nbformat.NotebookNode, release: nbformat.NotebookNode) -> None:
    """Type each answer that differs from the release into its cell's editor, and save."""
    cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    cells.nth(len(release.cells) - 1).wait_for(timeout=60_000)
    for i, (answer, given) in enumerate(zip(answers.cells, release.cells, strict=True)):
        if answer.source != given.source:
            editor = cells.nth(i).locator(".cm-content")
            editor.scroll_into_view_if_needed()
            editor.click()
            page.keyboard.press("Control+a")
            page.keyboard.insert_text(answer.source)
    page.keyboard.press("Control+s")


def saved_answers(path: Path, answers: nbformat.NotebookNode) -> bool:
    if not path.exists():
        return False
    saved = nbformat.read(path, as_version=4)
    wanted = {grade_id(c): c.source for c in answers.cells if grade_id(c)}
    return all(wanted.get(grade_id(c), c.source) == c.source for c in saved.cells)


def validated_and_submitted(page, passes: bool, name: str) -> None:
    """Wait for the Validate verdict, close it, and Submit."""
    verdict = page.locator(".nbgrader-SuccessDialog" if passes else ".nbgrader-ErrorDialog")
    verdict.wait_for(timeout=300_000)
    text = verdict.inner_text()
    assert ("passes all the tests" in text) if passes else ("NotImplementedError" in text), text
    screenshot(page, f"2-{name}-validate")
    verdict.locator(".jp-Dialog-button.jp-mod-accept").click()
    page.locator("#fetched_assignments_list").get_by_role("button", name="Submit").click()
    submitted = page.locator("#submitted_assignments_list .list_item", has_text=LAB)
    submitted.first.wait_for(timeout=60_000)
    screenshot(page, f"2-{name}-submitted")


def fetch_feedback(page, room: Classroom, user: str, name: str) -> str:
    """Fetch the feedback in the Assignment List, open it; return its text."""
    page.locator("#refresh_assignments_list").click()
    submitted = page.locator("#submitted_assignments_list")
    submitted.get_by_text("feedback available to fetch").wait_for(timeout=60_000)
    submitted.get_by_role("button", name="Fetch Feedback").click()
    submitted.get_by_text("view feedback").click()  # the file browser goes to the feedback folder
    page.locator(".jp-DirListing-item", has_text=f"{LAB}.html").wait_for(timeout=60_000)
    screenshot(page, f"4-{name}-feedback-fetched")
    home = room.home(user)
    (report,) = home.glob(f"{LAB}/feedback/*/{LAB}.html")
    view = page.context.new_page()
    view.goto(
        f"{room.settings['bind_url']}/user/{user}/files/{report.relative_to(home).as_posix()}"
    )
    screenshot(view, f"4-{name}-feedback")
    text = view.locator("body").inner_text()
    view.close()
    return text


def test_a_class_releases_submits_grades_and_returns_feedback(hub, browser):
    room = hub
    teacher = log_in(browser, room, room.instructor)
    pages = {student: log_in(browser, room, student) for student in room.students}
    # 1. The instructor releases Lab 01 to the exchange (while the hub starts the students' labs).
    as_instructor(room, "nbgrader", "generate_assignment", LAB, "--force")
    as_instructor(room, "nbgrader", "release_assignment", LAB)
    assert (room.exchange / COURSE_ID / "outbound" / LAB / f"{LAB}.ipynb").is_file()
    release, source = notebook(room.course() / "labs", LAB), notebook(ROOT / "solutions", LAB)
    answers = {  # every task, and only the first
        room.students[0]: solved_copy(release, source),
        room.students[1]: partly_solved_copy(release, source, answered=1),
    }
    names = dict(zip(room.students, ("all-answers", "first-answer"), strict=True))
    # 2. Each student fetches the lab in the Assignment List, opens it and writes the answers.
    for student, page in pages.items():
        assert nbgrader_menu(page, student) == ["Assignment List"]  # no Formgrader
        if student == room.students[0]:
            screenshot(page, "2-student-menu")
        page.keyboard.press("Escape")
        open_assignment_list(page)
        released = page.locator("#released_assignments_list .list_item", has_text=LAB)
        released.get_by_role("button", name="Fetch").click()
        fetched = page.locator("#fetched_assignments_list")
        fetched.locator("a.assignment-notebooks-link").click()
        fetched.locator(".assignment-notebooks a", has_text=LAB).click()  # opens it in JupyterLab
        write_answers(page, answers[student], release)
        path = room.home(student) / LAB / f"{LAB}.ipynb"
        for _ in range(120):
            if saved_answers(path, answers[student]):
                break
            time.sleep(0.5)
        assert saved_answers(path, answers[student]), f"{student}'s answers are not in {path}"
        screenshot(page, f"2-{names[student]}-answers")
    # ... and Validates (both at once) and Submits in the Assignment List.
    for page in pages.values():
        page.get_by_role("tab", name="Assignments").click()
        fetched = page.locator("#fetched_assignments_list")
        if not fetched.get_by_role("button", name="Validate").is_visible():
            fetched.locator("a.assignment-notebooks-link").click()  # unfold the lab's notebooks
        fetched.get_by_role("button", name="Validate").click()
    for student, page in pages.items():
        validated_and_submitted(page, passes=student == room.students[0], name=names[student])
    # 3. The instructor collects, grades (the parallel, bounded path) and releases feedback.
    as_instructor(room, "nbgrader", "collect", LAB)
    graded = as_instructor(room, room.python, "course.py", "grade", "01")
    assert f"{room.students[0]}: 9/9" in graded and f"{room.students[1]}: 1/9" in graded, graded
    as_instructor(room, "nbgrader", "generate_feedback", LAB)
    as_instructor(room, "nbgrader", "release_feedback", LAB)
    assert "Formgrader" in nbgrader_menu(teacher, room.instructor)
    # Formgrader in a tab of its own: JupyterHub forbids showing it in a frame inside JupyterLab
    teacher.goto(f"{room.settings['bind_url']}/user/{room.instructor}/formgrader")
    row = teacher.locator("tr", has=teacher.locator("td.name", has_text=LAB))
    assert row.locator("td.num-submissions").inner_text().strip() == "2"  # the course's gradebook
    screenshot(teacher, "3-formgrader")
    # 4. Each student fetches the feedback in the Assignment List and reads the score; the
    # feedback holds no line of the hidden tests.
    released_text = "\n".join(c.source for c in release.cells)
    hidden = {
        line.strip() for region in hidden_regions(source) for line in region.splitlines()
        if len(line.strip()) > 12 and line.strip() not in released_text
    }  # fmt: skip
    assert len(hidden) >= 5
    for student, points in zip(room.students, (9, 1), strict=True):
        report = fetch_feedback(pages[student], room, student, names[student])
        assert f"{LAB} (Score: {points}.0 / 9.0)" in report, report[:300]
        feedback = html.unescape(
            next(room.home(student).glob(f"{LAB}/feedback/*/{LAB}.html")).read_text()
        )
        assert "hidden tests ran here" in feedback and "BEGIN HIDDEN TESTS" not in feedback
        assert not [line for line in hidden if line in feedback], f"{student}: hidden lines"


def test_stop_ends_the_hub_proxy_and_servers_by_pid_and_removes_the_accounts(hub):
    room = hub
    hub_process = psutil.Process(room.settings["hub_pid"])
    proxy = psutil.Process(int((room.private / "proxy.pid").read_text()))
    servers = [p for p in psutil.process_iter(["username"]) if p.info["username"] in room.users]
    assert servers, "no JupyterLab of the class runs"
    stopped = course_py("hub", "stop", "--dir", room.folder)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    for process in (hub_process, proxy, *servers):
        assert not running(process), f"{process} still runs"
        assert str(process.pid) in stopped.stdout
    assert not any(account_exists(user) for user in room.users)
    assert not any(Path("/home", user).exists() for user in room.users)
