"""The course's gradebook side of parallel grading: a template for the work units, and the merge
of their results, written as nbgrader's own autograde writes them."""

from __future__ import annotations

import shutil
import tempfile
import warnings
from pathlib import Path

from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

from instructor.grading.units import CONFIG, Outcome, course_api, write_folder


def template(course: Path, lab: str) -> bytes:
    """An sqlite gradebook that knows ``lab``'s grading cells and nothing else, made by
    nbgrader's generate_assignment from the course's source folder."""
    source = course_api(course).coursedir.source_directory
    with tempfile.TemporaryDirectory(prefix="template-") as tmp:
        shutil.copytree(course / source / lab, Path(tmp) / source / lab)
        shutil.copy(course / CONFIG, tmp)
        api = course_api(Path(tmp), f"sqlite:///{Path(tmp) / 'gradebook.db'}")
        result = api.generate_assignment(lab, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader generate_assignment {lab} failed:\n{result['error']}")
        return (Path(tmp) / "gradebook.db").read_bytes()


def merge(course: Path, db_url: str, outcome: Outcome) -> None:
    """Write one student's results into the course's gradebook and autograded/ folder."""
    with Gradebook(db_url) as gradebook, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own submission code warns
        gradebook.update_or_create_student(outcome.student)
        stamp = {"timestamp": outcome.timestamp} if outcome.timestamp else {}
        submission = gradebook.update_or_create_submission(outcome.lab, outcome.student, **stamp)
        for notebook in submission.notebooks:  # a fresh start, as autograde --force
            for grade in notebook.grades:
                grade.auto_score = grade.manual_score = grade.extra_credit = None
                grade.needs_manual_grade = True
        for values in outcome.grades:
            grade = gradebook.find_grade(
                values["name"], values["notebook"], outcome.lab, outcome.student
            )
            for key in ("auto_score", "manual_score", "extra_credit", "needs_manual_grade"):
                setattr(grade, key, values[key])
        for values in outcome.comments:
            comment = gradebook.find_comment(
                values["name"], values["notebook"], outcome.lab, outcome.student
            )
            comment.auto_comment, comment.manual_comment = (
                values["auto_comment"],
                values["manual_comment"],
            )
        gradebook.db.commit()
    folder = course / "autograded" / outcome.student / outcome.lab
    shutil.rmtree(folder, ignore_errors=True)
    if outcome.autograded:
        staging = folder.with_name(f".{outcome.lab}.partial")
        shutil.rmtree(staging, ignore_errors=True)
        write_folder(staging, outcome.autograded)
        staging.rename(folder)  # whole or not at all
