"""Shared helpers for the pipeline tests: a temporary nbgrader course built from solutions/."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
LABS = sorted(p.name for p in (ROOT / "solutions").iterdir() if (p / f"{p.name}.ipynb").is_file())
BIN = Path(sys.executable).parent
SOLUTION_MARKERS = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.MULTILINE)


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run an nbgrader command in ``course`` with this environment's scripts on PATH."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("COURSE_PROFILE", None)  # grade as an instructor does: nbgrader picks the profile
    result = subprocess.run(
        [str(BIN / "nbgrader"), *args, "--log-level=WARN"],
        cwd=course, capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, (
        f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result


def grade_in_parallel(course: Path, *args: str) -> subprocess.CompletedProcess:
    """The parallel grading command, as `course.py grade <lab>...` runs it, in ``course``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("COURSE_PROFILE", None)
    return subprocess.run(
        [sys.executable, "-m", "instructor.grading", *args],
        cwd=course, capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip


def make_course(tmp: Path) -> Path:
    """Copy solutions/ and the config into ``tmp`` and release every lab there with nbgrader."""
    course = tmp / "course"
    shutil.copytree(ROOT / "solutions", course / "solutions")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for lab in LABS:
        nbgrader(course, "generate_assignment", lab, "--force")
    return course


def fresh_copy(tmp_path: Path, *labs: str) -> Path:
    """course.py, nbgrader_config.py and the named labs' solutions/ and labs/, as after a clone:
    no .venv (course.py then uses this interpreter's environment) and no gradebook.db."""
    course = tmp_path / "course"
    (course / "labs").mkdir(parents=True)
    for lab in labs:
        for folder in ("solutions", "labs"):
            shutil.copytree(ROOT / folder / lab, course / folder / lab)
    for name in ("course.py", "nbgrader_config.py"):
        shutil.copy(ROOT / name, course)
    return course


def notebook(folder: Path, lab: str) -> nbformat.NotebookNode:
    return nbformat.read(folder / lab / f"{lab}.ipynb", as_version=4)


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def solved_copy(
    release: nbformat.NotebookNode, source: nbformat.NotebookNode
) -> nbformat.NotebookNode:
    """The released notebook with every answer cell filled in as a student would: solution code, no markers."""
    answers = {
        grade_id(c): c.source
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    solved = nbformat.from_dict(release)
    for cell in solved.cells:
        if grade_id(cell) in answers:
            cell.source = SOLUTION_MARKERS.sub("", answers[grade_id(cell)])
    return solved


def partly_solved_copy(
    release: nbformat.NotebookNode, source: nbformat.NotebookNode, answered: int = -1
) -> nbformat.NotebookNode:
    """The first ``answered`` answers filled in (default: all but the last); the others keep the
    release's stubs."""
    solved = solved_copy(release, source)
    answers = [c for c in solved.cells if c.metadata.get("nbgrader", {}).get("solution")]
    for cell in answers[answered:]:
        cell.source = next(c.source for c in release.cells if grade_id(c) == grade_id(cell))
    return solved


def hidden_regions(nb: nbformat.NotebookNode, kind: str = "HIDDEN TESTS") -> list[str]:
    """The text between ``### BEGIN <kind>`` and ``### END <kind>`` in every cell."""
    pattern = re.compile(rf"### BEGIN {kind}\n(.*?)### END {kind}", re.DOTALL)
    return [m.group(1) for c in nb.cells for m in pattern.finditer(c.source)]


def hidden_only_names(lab: str) -> set[str]:
    """Identifiers used in the hidden tests of ``lab`` that appear nowhere else in its source or
    outputs, nor in ``helpers/`` (whose code students read, and feedback tracebacks quote)."""
    source = notebook(ROOT / "solutions", lab)
    hidden = "\n".join(hidden_regions(source))
    outputs = [o.get("text", "") for c in source.cells for o in c.get("outputs", [])]
    helpers = [p.read_text() for p in (ROOT / "helpers").glob("*.py")]
    rest = "\n".join([c.source for c in source.cells] + outputs + helpers)
    for region in hidden_regions(source):
        rest = rest.replace(region, "")
    names = set(re.findall(r"\b[A-Za-z_]\w{3,}\b", hidden))
    return {name for name in names if not re.search(rf"\b{name}\b", rest)}


def write_notebook(path: Path, cells: list) -> Path:
    """A notebook of ``cells`` with the python3 kernel, written to ``path``."""
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


@contextlib.contextmanager
def headless_chromium(playwright, executable: str):
    """Debian's Chromium, headless and without its sandbox (tests may run as root)."""
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=executable, headless=True, chromium_sandbox=False,
            args=["--disable-gpu", "--disable-dev-shm-usage", "--disable-quic"],
        )  # fmt: skip
        yield chromium
        chromium.close()
