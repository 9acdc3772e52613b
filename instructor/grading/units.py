"""One student's autograde as a self-contained work unit: files in, scores and files out.

A unit carries everything it needs as bytes (the submission, the course's nbgrader config and a
gradebook holding only the lab's grading cells), so that it runs the same in a local worker
process or on a cluster machine without a shared disk. ``grade`` runs nbgrader's own autograde
in a private temporary course folder with its own gradebook, under ``bounds.Watchdog``.
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

from instructor.grading.bounds import Limits, Watchdog
from instructor.grading.problems import notebook_problems, stderr_zeros

CONFIG = "nbgrader_config.py"


@dataclass
class Unit:
    lab: str
    student: str
    files: dict[str, bytes]  # the student's submitted folder, by relative path
    template: bytes  # an sqlite gradebook with the lab's grading cells and no students
    config: str  # the course's nbgrader_config.py
    source_files: dict[str, bytes] = field(default_factory=dict)  # the lab's other files
    limits: Limits = Limits()
    threads: int = 0  # CPU threads for the kernel's TensorFlow (0: its default)


@dataclass
class Outcome:
    lab: str
    student: str
    seconds: float
    graded: bool  # nbgrader finished the notebook
    score: float
    max_score: float
    timestamp: datetime | None = None
    grades: list[dict] = field(default_factory=list)  # per grading cell, as in the gradebook
    comments: list[dict] = field(default_factory=list)
    autograded: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    log: str = ""


def read_folder(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def write_folder(folder: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def course_api(course: Path, db_url: str | None = None) -> NbGraderAPI:
    """nbgrader's API for the course folder ``course``, configured by its nbgrader_config.py."""
    config = PyFileConfigLoader(CONFIG, path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    if db_url:
        config.CourseDirectory.db_url = db_url
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _grading_cells(db_url: str, lab: str) -> tuple[dict[str, list[str]], float]:
    """The names of the lab's grading cells per notebook, and its maximum score."""
    with Gradebook(db_url) as gradebook:
        assignment = gradebook.find_assignment(lab)
        cells = {nb.name: [cell.name for cell in nb.grade_cells] for nb in assignment.notebooks}
        return cells, assignment.max_score


@contextmanager
def kernel_stderr(path: Path):
    """Send what the kernels print on stderr (the process's file descriptor 2) to ``path``."""
    saved = os.dup(2)
    with path.open("wb") as file:
        os.dup2(file.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _results(db_url: str, lab: str, student: str, outcome: Outcome) -> None:
    with Gradebook(db_url) as gradebook:
        try:
            submission = gradebook.find_submission(lab, student)
        except MissingEntry:
            return
        outcome.timestamp = submission.timestamp
        outcome.score, outcome.max_score = submission.score, submission.max_score
        for nb in submission.notebooks:
            outcome.grades += [
                {"notebook": nb.name, "name": g.name, "auto_score": g.auto_score,
                 "manual_score": g.manual_score, "extra_credit": g.extra_credit,
                 "needs_manual_grade": g.needs_manual_grade}
                for g in nb.grades
            ]  # fmt: skip
            outcome.comments += [
                {"notebook": nb.name, "name": c.name, "auto_comment": c.auto_comment,
                 "manual_comment": c.manual_comment}
                for c in nb.comments
            ]  # fmt: skip


def grade(unit: Unit) -> Outcome:
    """Autograde one student with nbgrader in a private course folder; never raises for what a
    submission contains."""
    started = time.monotonic()
    if unit.threads:  # the kernel inherits these: n workers share the cores instead of fighting
        os.environ["TF_NUM_INTRAOP_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(unit.threads)
        os.environ["TF_NUM_INTEROP_THREADS"] = "1"
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        course = Path(tmp)
        (course / CONFIG).write_text(unit.config)
        (course / "gradebook.db").write_bytes(unit.template)
        db_url = f"sqlite:///{course / 'gradebook.db'}"
        api = course_api(course, db_url)
        submitted = course / "submitted" / unit.student / unit.lab
        write_folder(submitted, unit.files)
        write_folder(course / api.coursedir.source_directory / unit.lab, unit.source_files)
        kernel = api.config.Execute.get("kernel_name", "python3")
        cells, max_score = _grading_cells(db_url, unit.lab)
        problems, gradable = [], True
        for notebook, grade_ids in cells.items():
            found, ok = notebook_problems(submitted, notebook, grade_ids, kernel)
            problems, gradable = problems + found, gradable and ok
        with Watchdog(unit.limits) as watchdog, kernel_stderr(course / "stderr.txt"):
            result = api.autograde(unit.lab, unit.student, force=True, create=True)
        outcome = Outcome(
            unit.lab, unit.student, seconds=0.0, graded=bool(result["success"]), score=0.0,
            max_score=max_score,
        )  # fmt: skip
        _results(db_url, unit.lab, unit.student, outcome)
        out = course / "autograded" / unit.student / unit.lab
        if watchdog.reason:
            outcome.graded = False
            problems.append(f"{watchdog.reason}: not graded; flagged for manual grading")
        elif not outcome.graded and gradable:
            last = (result.get("error") or "").strip().splitlines()[-1:] or ["no message"]
            problems.append(f"nbgrader could not grade it ({last[0][:160]})")
        for notebook in {g["notebook"] for g in outcome.grades}:
            scores = {
                g["name"]: g["auto_score"] for g in outcome.grades if g["notebook"] == notebook
            }
            problems += stderr_zeros(out / f"{notebook}.ipynb", scores)
        outcome.autograded = read_folder(out) if outcome.graded and out.is_dir() else {}
        outcome.problems = problems
        outcome.log = result.get("log", "") + (course / "stderr.txt").read_text(errors="replace")
    outcome.seconds = time.monotonic() - started
    return outcome
