"""`course.py results`: RESULTS.md, the README's lab table and its picture are what the full runs'
records make of them, and a README without the table's markers gets a clear message."""

import subprocess
import sys

import pytest

from course_tools import ROOT
from instructor import results_page


def test_the_committed_results_page_readme_table_and_picture_are_current():
    run = subprocess.run(
        [sys.executable, "-m", "instructor.results_page", "--check"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_lab_has_a_headline_target_and_a_time():
    table = results_page.lab_table()
    for lab in results_page.labs():
        row = next(line for line in table.splitlines() if f"labs/{lab}/{lab}.ipynb" in line)
        assert ": met)" in row or ": missed)" in row, row
        assert row.rstrip(" |").endswith(" s") or " s (" in row, row


def test_the_readme_table_is_replaced_between_its_markers():
    text = f"intro\n{results_page.BEGIN}\nold table\n{results_page.END}\nafter\n"
    new = results_page.readme(text)
    assert new.startswith("intro\n") and new.endswith(f"{results_page.END}\nafter\n")
    assert "old table" not in new and "| lab | what you build |" in new
    with pytest.raises(SystemExit, match="has no generated table"):
        results_page.readme("no markers")
