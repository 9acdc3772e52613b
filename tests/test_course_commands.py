"""course.py as new users run it: help, JupyterLab as root and under `kill`, and the README's
instructor sequence in order (tests/test_autograde.py runs it on every lab)."""

import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from course_tools import LABS, ROOT, fresh_copy

COURSE_PY = ROOT / "course.py"
LAB = LABS[0]
# The instructor section of the README, in order; python3 is this interpreter, nbgrader comes
# from its environment, as after `source .venv/bin/activate`.
INSTRUCTOR_SEQUENCE = [
    "python3 course.py release",
    # ... a returned notebook is downloaded to downloads/alice_<lab>.ipynb here
    f"python3 course.py collect {LAB[:2]} downloads/",
    f"python3 course.py grade {LAB[:2]}",
    f"python3 course.py report {LAB[:2]}",
    f"nbgrader generate_feedback {LAB}",
    "nbgrader export",
]
posix_only = pytest.mark.skipif(os.name == "nt", reason="exec and signals: POSIX only")


def course_py(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, str(cwd / "course.py"), *args],
        cwd=cwd, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def load_course_module():
    spec = importlib.util.spec_from_file_location("course", COURSE_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lab_prefixes_become_lab_names(monkeypatch):
    course = load_course_module()
    monkeypatch.setattr(sys, "argv", ["course.py", "grade", "01", "05", "--student", "05"])
    assert course.lab_arguments(many=True) == [LABS[0], LABS[-1], "--student", "05"]
    monkeypatch.setattr(sys, "argv", ["course.py", "collect", "04", "05"])  # a folder named 05
    assert course.lab_arguments() == [LABS[3], "05"]


@pytest.mark.parametrize("flag", ["--help", "-h", "help"])
def test_help_is_not_an_error(flag):
    result = course_py(flag)
    assert result.returncode == 0 and result.stderr == ""
    assert "python3 course.py lab" in result.stdout and "solutions" in result.stdout


@pytest.mark.parametrize("args", [["no-such-command"], []])
def test_an_unknown_or_missing_command_is_an_error_with_the_usage(args):
    result = course_py(*args)
    assert result.returncode != 0 and result.stdout == ""
    assert "python3 course.py lab" in result.stderr


@posix_only
@pytest.mark.parametrize(("command", "folder"), [("lab", "labs"), ("solutions", "solutions")])
@pytest.mark.parametrize("euid", [0, 1000])
def test_jupyter_replaces_the_process_with_allow_root_as_root(
    monkeypatch, capsys, command, folder, euid
):
    course = load_course_module()
    started = []
    monkeypatch.chdir(ROOT)  # restored afterwards; course.py changes into its root
    monkeypatch.setattr(sys, "argv", ["course.py", command, "--no-browser"])
    monkeypatch.setattr(os, "geteuid", lambda: euid)
    monkeypatch.setattr(os, "execve", lambda path, argv, env: started.append((path, argv, env)))
    course.COMMANDS[command]()
    [(path, argv, env)] = started
    jupyter = str(course.BIN / "jupyter")
    expected = [jupyter, "lab", f"--ServerApp.root_dir={folder}", "--no-browser"]
    assert path == argv[0] and argv == expected + (["--allow-root"] if euid == 0 else [])
    assert env["PATH"].startswith(str(course.BIN))
    assert ("--allow-root" in capsys.readouterr().out) == (euid == 0)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=1):
            return True
    except OSError:
        return False


@posix_only
@pytest.mark.pipeline
def test_kill_stops_jupyterlab(tmp_path):
    """A process manager stops `course.py lab` by its pid: no JupyterLab may be left running."""
    course = fresh_copy(tmp_path)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    port = free_port()
    args = ["lab", "--no-browser", f"--port={port}", "--ServerApp.port_retries=0"]
    process = subprocess.Popen(
        [sys.executable, str(course / "course.py"), *args],
        cwd=course, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            assert process.poll() is None, "course.py lab quit before JupyterLab answered"
            assert time.monotonic() < deadline, "JupyterLab did not answer within 60 s"
            time.sleep(0.2)
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        assert not answers(port), "JupyterLab still answers after its pid was killed"
    finally:
        if process.poll() is None:
            process.kill()
        for info in (tmp_path / "runtime").glob("jpserver-*.json"):  # a server left behind
            pid = int(info.stem.split("-")[1])
            if pid != process.pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def instructor_section():
    return (ROOT / "README.md").read_text().split("## For instructors")[1].split("\n## ")[0]


def test_the_readme_documents_the_instructor_sequence():
    section = instructor_section()
    positions = [section.find(command) for command in INSTRUCTOR_SEQUENCE]
    assert -1 not in positions and positions == sorted(positions), INSTRUCTOR_SEQUENCE
    assert "submitted/<student>/<lab>/" in section and "INSTRUCTORS.md" in section
    # the naming rule for returned files, at the collect step (before grading)
    naming = section.find("<student>_<file name>")
    assert -1 < naming < section.find(INSTRUCTOR_SEQUENCE[2]), "the naming rule belongs at collect"


def test_every_folder_of_students_work_is_git_ignored_and_listed_in_the_readme():
    ignored = set((ROOT / ".gitignore").read_text().split())
    listed = instructor_section().split("hold students' work")[0].rsplit("\n- ", 1)[1]
    folders = re.findall(r"`([\w.]+/?)`", listed)
    assert {"downloads/", "downloaded/", "submitted/", "autograded/", "feedback/", "reports/", "grades.csv"} <= set(folders)  # fmt: skip
    assert set(folders) <= ignored, f"not in .gitignore: {set(folders) - ignored}"


@pytest.mark.parametrize("command", ["collect", "grade", "report"])
def test_an_unknown_lab_lists_the_labs_and_leaves_nothing_behind(tmp_path, command):
    course = fresh_copy(tmp_path, LAB)
    (course / "downloads").mkdir()
    (course / "downloads" / f"alice_{LAB}.ipynb").write_text("{}")
    before = sorted(p.relative_to(course) for p in course.rglob("*"))
    args = ["09", "downloads/"] if command == "collect" else ["09"]
    result = course_py(command, *args, cwd=course)
    assert result.returncode != 0 and f"No lab '09' in solutions/; the labs are: {LAB}." in result.stderr  # fmt: skip
    assert sorted(p.relative_to(course) for p in course.rglob("*")) == before
