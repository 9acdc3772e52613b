import nbformat
from nbformat.v4 import new_code_cell

from course_tools import write_notebook
from instructor.grading import margins


def graded(source, grade_id):
    meta = {"nbgrader": {"grade": True, "grade_id": grade_id, "points": 1, "solution": False}}
    return new_code_cell(source, metadata=meta)


def test_a_run_reports_failed_graded_cells_and_the_recorded_margins(tmp_path):
    path = write_notebook(
        tmp_path / "lab.ipynb",
        [
            new_code_cell(
                "import os\nfrom helpers import checks\nseed = int(os.environ['COURSE_SEED'])\n"
                "checks.check_margin('gain', 3.0 + seed, 1.0, ' dB')"
            ),
            graded("assert os.environ['COURSE_PROFILE'] == 'grade'", "profile"),
            graded("assert os.environ['COURSE_THREADS'] == '2'", "threads"),
        ],
    )
    run = margins.run_once(path, seed=1, threads=1)
    assert run["margins"] == {"gain": 3.0} and run["failed"] == ["threads"]
    assert len(nbformat.read(path, as_version=4).cells) == 3  # the notebook is left as it was
    lines = margins.summary("lab", [run, {**run, "margins": {"gain": 2.0}, "failed": []}])
    assert lines == [
        "lab: gain: worst margin +2.00 over 2 runs",
        "lab: FAILED in some runs: threads",
    ]
