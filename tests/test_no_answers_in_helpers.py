"""No graded answer lives in helpers/: students install and read the whole package on day one.

For every lab, the functions that graded solution cells define must not be defined in helpers/,
and no line of a solution region may appear there (short, generic lines excepted).
"""

import re

import pytest

from course_tools import LABS, ROOT, hidden_regions, notebook

HELPERS = {p.name: p.read_text() for p in (ROOT / "helpers").glob("*.py")}


def solution_cells(lab):
    return [
        c.source
        for c in notebook(ROOT / "solutions", lab).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    ]


@pytest.mark.parametrize("lab", LABS)
def test_graded_functions_are_not_defined_in_helpers(lab):
    names = {n for source in solution_cells(lab) for n in re.findall(r"^def (\w+)", source, re.M)}
    assert names, f"{lab}: no graded function found"
    defined = {
        (name, module)
        for name in names
        for module, text in HELPERS.items()
        if re.search(rf"^\s*(def|class) {name}\b|^{name}\s*=", text, re.M)
    }
    assert not defined, f"graded answers of {lab} in helpers/: {sorted(defined)}"


@pytest.mark.parametrize("lab", LABS)
def test_solution_lines_do_not_appear_in_helpers(lab):
    regions = hidden_regions(notebook(ROOT / "solutions", lab), "SOLUTION")
    lines = {
        line.strip()
        for region in regions
        for line in region.splitlines()
        if len(line.strip()) > 30 and not line.strip().startswith(("#", '"""'))
    }
    assert lines
    helper_lines = {line.strip() for text in HELPERS.values() for line in text.splitlines()}
    assert not lines & helper_lines, f"solution lines of {lab} in helpers/: {lines & helper_lines}"
