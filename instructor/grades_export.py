"""``nbgrader export`` with a status per row: a grades export that tells "not handed out",
"no submission", "no valid submission" and a real score (0 included) apart.

nbgrader's own CSV export writes 0.0 for all of them. This exporter (nbgrader's documented way to
extend export, set in ``nbgrader_config.py``) writes nbgrader's columns, with ``score`` left empty
unless the submission was graded, and adds:

- ``status``: ``graded``; ``no valid submission`` (collected, but nothing nbgrader could grade: no
  notebook, not a notebook, or stopped at a limit; flagged for manual grading); ``no submission``;
  ``not handed out`` (no student has a submission of the lab yet: ``release`` records every lab);
- ``problems``: what ``course.py grade`` reported for the student (``reports/<lab>.csv``).
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin

COLUMNS = [
    "assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
    "raw_score", "late_submission_penalty", "score", "max_score", "status", "problems",
]  # fmt: skip


def grade_problems(reports: Path, lab: str) -> dict[str, str]:
    """student -> the problems ``course.py grade`` reported for ``lab``, if it has run."""
    path = reports / f"{lab}.csv"
    if not path.is_file():
        return {}
    with path.open(newline="") as file:
        return {row["student"]: row["problems"] for row in csv.DictReader(file)}


def was_graded(submission) -> bool:
    """Whether any grading cell of the submission has a score (automatic or by hand)."""
    return any(
        grade.auto_score is not None or grade.manual_score is not None
        for notebook in submission.notebooks
        for grade in notebook.grades
    )


def rows(gradebook: Gradebook, reports: Path, labs: list[str], students: list[str]):
    """One row per lab and student, as a dict of ``COLUMNS``."""
    for assignment in gradebook.assignments:
        if labs and assignment.name not in labs:
            continue
        handed_out = bool(assignment.submissions)
        problems = grade_problems(reports, assignment.name)
        for student in gradebook.students:
            if students and student.id not in students:
                continue
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                assignment=assignment.name, duedate=assignment.duedate or "",
                student_id=student.id, last_name=student.last_name or "",
                first_name=student.first_name or "", email=student.email or "",
                max_score=assignment.max_score, problems=problems.get(student.id, ""),
            )  # fmt: skip
            try:
                submission = gradebook.find_submission(assignment.name, student.id)
            except MissingEntry:
                row["status"] = "no submission" if handed_out else "not handed out"
                yield row
                continue
            row["timestamp"] = submission.timestamp or ""
            if not was_graded(submission):
                row["status"] = "no valid submission"
            else:
                penalty = submission.late_submission_penalty or 0.0
                row.update(
                    status="graded", raw_score=submission.score, late_submission_penalty=penalty,
                    score=max(0.0, submission.score - penalty),
                )  # fmt: skip
            yield row


class GradesExport(ExportPlugin):
    """nbgrader's CSV export with ``status`` and ``problems`` columns (``grades.csv``)."""

    def export(self, gradebook: Gradebook) -> None:
        destination = self.to or "grades.csv"
        reports = Path(self.parent.coursedir.root) / "reports"
        labs, students = [str(a) for a in self.assignment], [str(s) for s in self.student]
        with open(destination, "w", newline="") as file:
            writer = csv.DictWriter(file, COLUMNS)
            writer.writeheader()
            writer.writerows(rows(gradebook, reports, labs, students))
        self.log.info("Grades written to %s", destination)
