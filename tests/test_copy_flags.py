"""Copy flags measured on Labs 01 and 02: every copy of the published solution (verbatim, and
reworded: variables renamed, lines reordered) is flagged, with the solution and with each other;
no independently written correct answer, untouched release or one-task copy is (INSTRUCTORS.md
quotes these numbers)."""

from itertools import combinations

import pytest
from copy_cases import INDEPENDENT, LABS, REWORDED, answered

from course_tools import ROOT, notebook, partly_solved_copy, solved_copy
from instructor.report.copies import SOLUTION, THRESHOLD, all_pairs, near_copies
from instructor.report.stats import flag

COPIES = {"solved", "reworded"}


def measurement_class(lab):
    release, source = notebook(ROOT / "labs", lab), notebook(ROOT / "solutions", lab)
    students = {
        "solved": solved_copy(release, source),
        "reworded": answered(release, REWORDED),
        "independent": answered(release, INDEPENDENT),
        "partly": partly_solved_copy(release, source, answered=1),  # a two-line answer copied
        "untouched": release,
    }
    return students, source, release


@pytest.mark.parametrize("lab", LABS)
def test_copies_are_flagged_and_independent_answers_are_not(lab):
    students, source, release = measurement_class(lab)
    pairs = all_pairs(students, source, release)
    flagged = {frozenset((p.first, p.second)) for p in near_copies(pairs)}
    everyone = [*students, SOLUTION]
    positives = {frozenset(pair) for pair in combinations([*COPIES, SOLUTION], 2)}
    negatives = {frozenset(pair) for pair in combinations(everyone, 2)} - positives
    assert flagged == positives, f"missed: {positives - flagged}, false: {flagged & negatives}"
    scores = {frozenset((p.first, p.second)): p.score for p in pairs}
    assert min(scores[pair] for pair in positives) > THRESHOLD + 0.3  # a clear margin each side
    independent = [score for pair, score in scores.items() if "independent" in pair]
    assert max(independent, default=0) < THRESHOLD - 0.3


def test_the_side_by_side_view_marks_the_shared_code_task_by_task():
    students, source, release = measurement_class(LABS[0])
    [pair] = [p for p in near_copies(all_pairs(students, source, release)) if p.first == "reworded" and p.second == SOLUTION]  # fmt: skip
    tasks = {task: (left, right) for task, left, right in pair.side_by_side()}
    left, right = tasks["lab01_build_simple"]
    assert "<mark>" in left and "z = keras.layers.Dense" in left.replace("<mark>", "")
    assert "code = keras.layers.Dense" in right.replace("<mark>", "")
    assert "BEGIN SOLUTION" not in right


def test_task_flags():
    assert flag(full=1, none=31, graded=40).startswith("most of the class failed it (31 of 40)")
    assert flag(full=40, none=0, graded=40).startswith("nobody lost a point")
    assert flag(full=20, none=20, graded=40) == ""  # half is not most
