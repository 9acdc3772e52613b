"""An nbgrader feedback step that keeps hidden tests hidden.

nbgrader's HTML feedback shows every cell of the autograded notebook, hidden tests included, and
a failing test's traceback quotes the source around the failing line. ``StripHiddenTests`` (set
in ``nbgrader_config.py``) removes the hidden regions from the cell sources and reduces error
tracebacks to their last line ("AssertionError: message"), so students see which test cell failed
and why, but not the hidden code.
"""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor

HIDDEN = re.compile(r"[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*\n?", re.DOTALL)
NOTE = "# (hidden tests ran here)\n"


def strip_hidden(source: str) -> str:
    """Replace each hidden-test region of a cell's source with a one-line note."""
    return HIDDEN.sub(NOTE, source)


class StripHiddenTests(Preprocessor):
    """Remove hidden tests and traceback bodies from an autograded notebook before feedback."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and "### BEGIN HIDDEN TESTS" in cell.source:
            cell.source = strip_hidden(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output['ename']}: {output['evalue']}"]
        return cell, resources
