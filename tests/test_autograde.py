"""Every lab through the README's instructor sequence on a fresh copy of the course, as an
instructor runs it: `course.py release`, three returned notebooks per lab collected (the solution,
a copy with only the first task solved, the untouched release), every lab graded in one `course.py
grade` run (nbgrader underneath, in parallel), `course.py report`, nbgrader's feedback and export.
One grading run serves every test here: the solution scores full points, the partly solved copy
some, the untouched release 0, and neither feedback nor report shows a hidden test."""

import csv
import os
import re
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from course_tools import (
    BIN,
    LABS,
    fresh_copy,
    hidden_only_names,
    notebook,
    partly_solved_copy,
    solved_copy,
)

pytestmark = pytest.mark.pipeline
STUDENTS = ("solved", "partly", "untouched")


def returned_notebooks(course, lab):
    """downloads/<lab>/<student>_<lab>.ipynb for the three students."""
    release, source = notebook(course / "labs", lab), notebook(course / "solutions", lab)
    folder = course / "downloads" / lab
    folder.mkdir(parents=True)
    returned = {
        "solved": solved_copy(release, source),
        "partly": partly_solved_copy(release, source, answered=1),  # the first task only
        "untouched": release,
    }
    for student, nb in returned.items():
        nbformat.write(nb, folder / f"{student}_{lab}.ipynb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = fresh_copy(tmp_path_factory.mktemp("class"), *LABS)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("COURSE_PROFILE", None)  # as an instructor runs it: nbgrader picks the profile
    ids = [lab[:2] for lab in LABS]
    sequence = [
        ["python3", "course.py", "release"],
        *(["python3", "course.py", "collect", lab[:2], f"downloads/{lab}/"] for lab in LABS),
        ["python3", "course.py", "grade", *ids],
        ["python3", "course.py", "report", *ids],
        ["nbgrader", "generate_feedback", "--assignment=*"],
        ["nbgrader", "export"],
    ]
    out = {}  # the standard output of each command, by its words after python3 / nbgrader
    for command in sequence:
        out[" ".join(command[1:])] = run(command, course, env)
        if command[-1] == "release":  # the students return their notebooks
            for lab in LABS:
                returned_notebooks(course, lab)
    return course, out


def run(command, course, env):
    program = sys.executable if command[0] == "python3" else str(BIN / command[0])
    result = subprocess.run(
        [program, *command[1:]], cwd=course, env=env, capture_output=True, text=True,
        timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def score(course, lab, student):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook(lab, lab, student)
        return submission.score, submission.max_score, submission.needs_manual_grade


def test_one_grading_run_grades_every_lab_without_problems(graded):
    _, out = graded
    grading = out["course.py grade " + " ".join(lab[:2] for lab in LABS)]
    for lab in LABS:  # one line per student, named with the lab, and a summary per lab
        assert (
            "3 students have a submission" in out[f"course.py collect {lab[:2]} downloads/{lab}/"]
        )
        assert f"solved ({lab}): " in grading, grading
        assert f"Graded 3 students of {lab}; 0 with problems" in grading, grading


@pytest.mark.parametrize("lab", LABS)
def test_solution_scores_full_points(graded, lab):
    got, maximum, manual = score(graded[0], lab, "solved")
    assert maximum > 0 and got == maximum, f"{lab}: the solution scored {got} of {maximum}"
    assert not manual


@pytest.mark.parametrize("lab", LABS)
def test_partly_solved_copy_scores_some_points(graded, lab):
    got, maximum, _ = score(graded[0], lab, "partly")
    assert 0 < got < maximum, f"{lab}: the partly solved copy scored {got} of {maximum}"


@pytest.mark.parametrize("lab", LABS)
def test_untouched_release_scores_zero(graded, lab):
    got, maximum, _ = score(graded[0], lab, "untouched")
    assert got == 0 and maximum > 0


@pytest.mark.parametrize("lab", LABS)
def test_feedback_hides_hidden_tests(graded, lab):
    assert len(hidden_only_names(lab)) >= 5
    for student in STUDENTS:
        html = (graded[0] / "feedback" / student / lab / f"{lab}.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "hidden tests ran here" in html
        leaked = {name for name in hidden_only_names(lab) if re.search(rf"\b{name}\b", html)}
        assert not leaked, f"hidden-test names in {student}'s feedback: {leaked}"


def test_class_report_of_every_lab(graded):
    """`course.py report` on the graded class: the solution full everywhere, the untouched release
    failing every grading cell, no hidden-test name on the page, the copied solution flagged."""
    from instructor.report import results, stats

    course, out = graded
    for lab in LABS:
        found = results.read(course, lab, f"sqlite:///{course / 'gradebook.db'}", "solutions")
        for task in stats.task_stats(found):
            assert task.full >= 1 and task.none >= 1, (lab, task)
            assert any("untouched" in g.students for g in task.groups), (lab, task)
        page = (course / "reports" / f"{lab}.html").read_text()
        leaked = {name for name in hidden_only_names(lab) if re.search(rf"\b{name}\b", page)}
        assert not leaked, f"hidden-test names in the report of {lab}: {leaked}"
        assert '<td>solved</td><td>the published solution</td><td class="n">100%</td>' in page
    report = out["course.py report " + " ".join(lab[:2] for lab in LABS)]
    assert report.count("near-copies of the published solution: solved (100%)") == len(LABS)
    assert "untouched" not in report


def test_the_export_has_every_student_and_lab_with_its_status(graded):
    with open(graded[0] / "grades.csv", newline="") as grades:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(grades)}
    for lab in LABS:
        solved, untouched = rows["solved", lab], rows["untouched", lab]
        assert float(solved["max_score"]) > 0 and solved["status"] == "graded"
        assert float(solved["score"]) == float(solved["max_score"]), solved
        assert float(untouched["score"]) == 0 and untouched["status"] == "graded", untouched
