"""A toy lab and a generated class of every kind of submission an instructor meets, for the
grading tests and the benchmark: fast to grade (no TensorFlow), with known scores."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_tools import ROOT, nbgrader

LAB = "toy"


def _cell(source: str, grade_id: str, points: int = 0, solution: bool = False):
    cell = new_code_cell(source)
    cell.metadata.nbgrader = {
        "grade": points > 0, "solution": solution, "locked": not solution, "grade_id": grade_id,
        "schema_version": 3, **({"points": points} if points else {}),
    }  # fmt: skip
    return cell


def toy_source() -> nbformat.NotebookNode:
    """Two graded answers: ``add`` (tests worth 2 points) and ``scale`` (1 point)."""
    return new_notebook(
        cells=[
            new_markdown_cell("# A toy lab"),
            _cell("import numpy as np", "imports"),
            _cell(
                "def add(a, b):\n    ### BEGIN SOLUTION\n    return a + b\n    ### END SOLUTION",
                "add",
                solution=True,
            ),  # fmt: skip
            _cell(
                "assert add(2, 3) == 5\n### BEGIN HIDDEN TESTS\nassert add(-1, 1) == 0\n### END HIDDEN TESTS",
                "add_tests",
                points=2,
            ),  # fmt: skip
            _cell(
                "def scale(x, k):\n    ### BEGIN SOLUTION\n    return np.asarray(x) * k\n    ### END SOLUTION",
                "scale",
                solution=True,
            ),  # fmt: skip
            _cell("assert (scale([1, 2], 3) == [3, 6]).all()", "scale_tests", points=1),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )


def make_toy_course(tmp: Path, *nbgrader_options: str) -> Path:
    """A course folder with the course's nbgrader config, the toy lab released into its gradebook
    (``--CourseDirectory.db_url=...`` among the options: another one)."""
    course = tmp / "toy_course"
    (course / "solutions" / LAB).mkdir(parents=True)
    nbformat.write(toy_source(), course / "solutions" / LAB / f"{LAB}.ipynb")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    nbgrader(course, "generate_assignment", LAB, "--force", *nbgrader_options)
    return course


def _answers(release: nbformat.NotebookNode, **answers: str) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(release)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


ADD = "def add(a, b):\n    return a + b"
SCALE = "def scale(x, k):\n    return np.asarray(x) * k"
LOOP = "def scale(x, k):\n    return x\n\nwhile True:\n    pass"
MEMORY = "def scale(x, k):\n    return x\n\nhog = []\nwhile True:\n    hog.append(bytearray(100 * 2**20))"
FORK = (
    "import os, time\n\ndef scale(x, k):\n    return x\n\n"
    "for _ in range(10_000):\n    if os.fork() == 0:\n        time.sleep(60)\n        os._exit(0)"
)
NOISY = "import sys\n\ndef add(a, b):\n    print('add: called', file=sys.stderr)\n    return a + b"

# student -> (score, problem the report must mention, or "")
EXPECTED = {
    "correct": (3, ""),
    "blank": (0, ""),
    "partial": (2, ""),
    "tampered": (2, ""),  # wrong scale, its test cell emptied: nbgrader restores the test
    "deleted": (2, "grading cell 'scale_tests' was deleted"),
    "renamed": (3, "notebook renamed to 'toy (1).ipynb'"),
    "wrong_kernel": (3, "asks for kernel 'python2'"),
    "noisy": (1, "scored 0 only because it wrote to stderr"),
    "broken": (0, "is not a notebook (NotJSONError)"),
    "not_a_notebook": (0, "no 'toy.ipynb' submitted (found: toy.html)"),
    "looping": (0, "time limit"),
    "memory": (0, "memory limit"),
    "fork_bomb": (0, "processes (limit"),
}
UNBOUNDED = {"looping", "memory", "fork_bomb"}  # never given to a serial nbgrader


def make_class(course: Path, students=EXPECTED) -> None:
    """Write each student's submission into ``course/submitted/<student>/toy/``."""
    release = nbformat.read(course / "labs" / LAB / f"{LAB}.ipynb", as_version=4)
    kinds = {
        "correct": _answers(release, add=ADD, scale=SCALE),
        "blank": release,
        "partial": _answers(release, add=ADD),
        "tampered": _answers(
            release, add=ADD, scale="def scale(x, k):\n    return x", scale_tests="pass"
        ),  # fmt: skip
        "deleted": _answers(release, add=ADD, scale=SCALE),
        "renamed": _answers(release, add=ADD, scale=SCALE),
        "wrong_kernel": _answers(release, add=ADD, scale=SCALE),
        "noisy": _answers(release, add=NOISY, scale=SCALE),
        "looping": _answers(release, add=ADD, scale=LOOP),
        "memory": _answers(release, add=ADD, scale=MEMORY),
        "fork_bomb": _answers(release, add=ADD, scale=FORK),
    }
    kinds["deleted"].cells = [c for c in kinds["deleted"].cells if "scale(" not in c.source or "def" in c.source]  # fmt: skip
    kinds["wrong_kernel"].metadata.kernelspec.name = "python2"
    for student in students:
        folder = course / "submitted" / student / LAB
        folder.mkdir(parents=True)
        if student == "broken":
            text = nbformat.writes(kinds["correct"])
            (folder / f"{LAB}.ipynb").write_text(text[: len(text) // 2])  # a half-written file
        elif student == "not_a_notebook":
            (folder / f"{LAB}.html").write_text("<html>an exported page</html>")
        else:
            name = f"{LAB} (1).ipynb" if student == "renamed" else f"{LAB}.ipynb"
            nbformat.write(kinds[student], folder / name)


# What `course.py report` must find in the graded class: per grading cell, the students with full
# and with no points (of the 8 that nbgrader graded; no partial points), and the failure messages
# with the students behind each.
GRADED = ["blank", "correct", "deleted", "noisy", "partial", "renamed", "tampered", "wrong_kernel"]
REPORT = {
    "add_tests": {
        "none": 2,
        "groups": {"NotImplementedError": ["blank"], "wrote to stderr (nbgrader scores it 0): add: called": ["noisy"]},
    },
    "scale_tests": {
        "none": 4,
        "groups": {
            "NotImplementedError": ["blank", "partial"],
            "AttributeError: 'bool' object has no attribute 'all'": ["tampered"],
            "grading cell deleted from the notebook (flagged for manual grading)": ["deleted"],
        },
    },
}  # fmt: skip
