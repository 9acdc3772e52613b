"""labs/ must be exactly what nbgrader generates from solutions/, and must leak nothing."""

import pytest

from course_tools import LABS, ROOT, hidden_regions, notebook

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def generated(released_course):
    return released_course / "labs"


def comparable(nb):
    return [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in nb.cells]


def test_every_lab_has_a_release():
    assert LABS and [p.name for p in sorted((ROOT / "labs").iterdir()) if p.is_dir()] == LABS


@pytest.mark.parametrize("lab", LABS)
def test_labs_match_nbgrader_output(lab, generated):
    assert comparable(notebook(ROOT / "labs", lab)) == comparable(notebook(generated, lab)), (
        f"labs/{lab} differs from what nbgrader generates: run `python3 course.py release` and commit labs/."
    )


@pytest.mark.parametrize("lab", LABS)
def test_labs_carry_no_solutions_hidden_tests_or_outputs(lab):
    release = notebook(ROOT / "labs", lab)
    source = (ROOT / "solutions" / lab / f"{lab}.ipynb").read_text()
    text = "\n".join(c.source for c in release.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    assert all(
        not c.get("outputs") and c.get("execution_count") is None
        for c in release.cells
        if c.cell_type == "code"
    )
    solution_nb = notebook(ROOT / "solutions", lab)
    regions = hidden_regions(solution_nb, "SOLUTION") + hidden_regions(solution_nb)
    secret_lines = {
        line.strip() for region in regions for line in region.splitlines() if len(line.strip()) > 12
    }
    assert secret_lines and "BEGIN SOLUTION" in source
    code = {
        line.strip()
        for c in release.cells
        if c.cell_type == "code"
        for line in c.source.splitlines()
    }
    assert not secret_lines & code, (
        f"solution or hidden-test lines reached labs/{lab}: {secret_lines & code}"
    )
    assert sum("raise NotImplementedError()" in c.source for c in release.cells) >= 4
