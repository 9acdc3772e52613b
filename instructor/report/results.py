"""What a grading run left for one lab, read back: every student's score per grading cell (the
gradebook), the failure message of each failed cell (the autograded notebooks), the grading time
and problems (``reports/<lab>.csv`` from ``course.py grade``)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

ANSI = re.compile(r"\x1b\[[0-9;]*m")
DELETED = "grading cell deleted from the notebook (flagged for manual grading)"


@dataclass
class Task:
    grade_id: str
    notebook: str
    points: float


@dataclass
class Student:
    name: str
    graded: bool  # nbgrader scored at least one grading cell
    score: float
    scores: dict[str, float | None] = field(default_factory=dict)  # grade id: points
    failures: dict[str, str] = field(default_factory=dict)  # grade id: message
    seconds: float | None = None  # grading time (course.py grade)
    problems: list[str] = field(default_factory=list)


@dataclass
class LabResults:
    lab: str
    max_score: float
    tasks: list[Task]
    students: list[Student]


def message(cell: nbformat.NotebookNode) -> str:
    """Why a graded cell lost its points, in one line: the exception's type and the first line
    of its message (a visible check's message; a hidden test's own message, never its source),
    or the first line it wrote to stderr."""
    outputs = cell.get("outputs", [])
    for out in outputs:
        if out.output_type == "error":
            first = (ANSI.sub("", out.get("evalue", "")).strip().splitlines() or [""])[0]
            return f"{out.ename}: {first[:200]}" if first else out.ename
    for out in outputs:
        if out.output_type == "stream" and out.name == "stderr":
            first = (out.text.strip().splitlines() or [""])[0]
            return f"wrote to stderr (nbgrader scores it 0): {first[:200]}"
    return "no points, no error shown (see the autograded notebook)"


def failures(path: Path, lost: list[str]) -> dict[str, str]:
    """The message of each grading cell in ``lost`` of the autograded notebook at ``path``."""
    if not path.is_file():
        return {}
    cells = {
        c.metadata.get("nbgrader", {}).get("grade_id"): c
        for c in nbformat.read(path, as_version=4).cells
    }
    return {i: message(cells[i]) if i in cells else DELETED for i in lost}


def grade_report(course: Path, lab: str) -> dict[str, dict]:
    """student -> the row of ``reports/<lab>.csv``, if ``course.py grade`` wrote one."""
    path = course / "reports" / f"{lab}.csv"
    if not path.is_file():
        return {}
    with path.open(newline="") as file:
        return {row["student"]: row for row in csv.DictReader(file)}


def task_order(course: Path, source_directory: str, lab: str, notebook: str) -> list[str]:
    """The grade ids of the graded cells in the order of the lab's source notebook."""
    path = course / source_directory / lab / f"{notebook}.ipynb"
    cells = nbformat.read(path, as_version=4).cells if path.is_file() else []
    return [c.metadata["nbgrader"]["grade_id"] for c in cells if c.metadata.get("nbgrader", {}).get("grade")]  # fmt: skip


def read(course: Path, lab: str, db_url: str, source_directory: str) -> LabResults:
    """Every submission of ``lab`` in the gradebook at ``db_url``, with what the run left."""
    report = grade_report(course, lab)
    with Gradebook(db_url) as gradebook:
        assignment = gradebook.find_assignment(lab)
        tasks = []
        for nb in assignment.notebooks:
            order = task_order(course, source_directory, lab, nb.name)
            cells = sorted(nb.grade_cells, key=lambda c: order.index(c.name) if c.name in order else len(order))  # fmt: skip
            tasks += [Task(c.name, nb.name, c.max_score) for c in cells]
        students = []
        for submission in sorted(assignment.submissions, key=lambda s: s.student.id):
            grades = {g.name: g for nb in submission.notebooks for g in nb.grades}
            scores = {
                i: g.score if g.auto_score is not None or g.manual_score is not None else None
                for i, g in grades.items()
            }
            student = Student(
                submission.student.id, any(v is not None for v in scores.values()),
                submission.score, scores,
            )  # fmt: skip
            for nb in submission.notebooks:
                lost = [g.name for g in nb.grades if student.graded and (g.score or 0) < g.max_score]  # fmt: skip
                path = course / "autograded" / student.name / lab / f"{nb.notebook.name}.ipynb"
                student.failures |= failures(path, lost)
            row = report.get(student.name)
            if row:
                student.seconds = float(row["seconds"])
                student.problems = [p for p in row["problems"].split(" | ") if p]
            students.append(student)
        return LabResults(lab, assignment.max_score, tasks, students)
