"""Every lab graded as an instructor does (`course.py grade`, nbgrader underneath, in parallel): the
solution scores full points, a copy with only the first task solved some, an untouched release 0,
and the students' feedback shows no hidden tests."""

import re

import nbformat
import pytest
from nbgrader.api import Gradebook

from course_tools import (
    LABS,
    grade_in_parallel,
    hidden_only_names,
    nbgrader,
    notebook,
    partly_solved_copy,
    solved_copy,
)

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def graded(released_course):
    course = released_course
    for lab in LABS:
        release, source = notebook(course / "labs", lab), notebook(course / "solutions", lab)
        submissions = {
            "solved": solved_copy(release, source),
            "partly": partly_solved_copy(release, source, answered=1),  # the first task only
            "untouched": release,
        }
        for student, nb in submissions.items():
            folder = course / "submitted" / student / lab
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{lab}.ipynb")
    run = grade_in_parallel(course, *LABS, "--workers", "3")  # every lab in one run
    for lab in LABS:  # one line per student, named with the lab, and a summary per lab
        assert f"solved ({lab}): " in run.stdout, run.stdout + run.stderr
        assert f"Graded 3 students of {lab}; 0 with problems" in run.stdout, run.stdout + run.stderr
    assert run.returncode == 0, run.stdout + run.stderr
    nbgrader(course, "generate_feedback", "--assignment=*", "--force")  # every lab
    return course


def score(course, lab, student):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook(lab, lab, student)
        return submission.score, submission.max_score, submission.needs_manual_grade


@pytest.mark.parametrize("lab", LABS)
def test_solution_scores_full_points(graded, lab):
    got, maximum, manual = score(graded, lab, "solved")
    assert maximum > 0 and got == maximum, f"{lab}: the solution scored {got} of {maximum}"
    assert not manual


@pytest.mark.parametrize("lab", LABS)
def test_partly_solved_copy_scores_some_points(graded, lab):
    got, maximum, _ = score(graded, lab, "partly")
    assert 0 < got < maximum, f"{lab}: the partly solved copy scored {got} of {maximum}"


@pytest.mark.parametrize("lab", LABS)
def test_untouched_release_scores_zero(graded, lab):
    got, maximum, _ = score(graded, lab, "untouched")
    assert got == 0 and maximum > 0


@pytest.mark.parametrize("lab", LABS)
def test_feedback_hides_hidden_tests(graded, lab):
    assert len(hidden_only_names(lab)) >= 5
    for student in ("solved", "partly", "untouched"):
        html = (graded / "feedback" / student / lab / f"{lab}.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "hidden tests ran here" in html
        leaked = {name for name in hidden_only_names(lab) if re.search(rf"\b{name}\b", html)}
        assert not leaked, f"hidden-test names in {student}'s feedback: {leaked}"


def test_class_report_of_every_lab(graded, monkeypatch, capsys):
    """`course.py report` on the graded class: the solution full everywhere, the untouched release
    failing every grading cell, no hidden-test name on the page, the copied solution flagged."""
    from instructor.report import results, stats
    from instructor.report.__main__ import main

    monkeypatch.chdir(graded)
    main(LABS)
    out = capsys.readouterr().out
    for lab in LABS:
        found = results.read(graded, lab, f"sqlite:///{graded / 'gradebook.db'}", "solutions")
        for task in stats.task_stats(found):
            assert task.full >= 1 and task.none >= 1, (lab, task)
            assert any("untouched" in g.students for g in task.groups), (lab, task)
        page = (graded / "reports" / f"{lab}.html").read_text()
        leaked = {name for name in hidden_only_names(lab) if re.search(rf"\b{name}\b", page)}
        assert not leaked, f"hidden-test names in the report of {lab}: {leaked}"
        assert '<td>solved</td><td>the published solution</td><td class="n">100%</td>' in page
    assert out.count("near-copies of the published solution: solved (100%)") == len(LABS)
    assert "untouched" not in out
