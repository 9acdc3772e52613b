"""`course.py results`: RESULTS.md, the README's lab table and its picture are what the full runs'
records make of them, INSTRUCTORS.md's benchmark table what the grading benchmark's record makes of
it, and a README without the table's markers gets a clear message."""

import json
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


def test_the_benchmark_table_computes_the_overheads_and_the_ratio(tmp_path, monkeypatch):
    record = {"lab": "01_dense_autoencoders", "students": 40, "workers": 2, "threads": 1,
              "date": "2026-01-01", "seconds": {"alone": 12.0, "alone_per_worker": 13.0,
              "one_unit": 13.5, "serial": 600.0, "parallel": 330.0, "parallel_per_unit": 15.5}}  # fmt: skip
    (tmp_path / "bench.json").write_text(json.dumps(record))
    monkeypatch.setattr(results_page, "BENCHMARK", tmp_path / "bench.json")
    marks = f"{results_page.BENCH_BEGIN}\n{results_page.BENCH_END}"
    table = results_page.instructors(f"before\n{marks}\nafter\n")
    assert table.startswith("before\n") and table.endswith(f"{results_page.BENCH_END}\nafter\n")
    assert "| one work unit, idle machine |  | 13.5 s | +1.5 s |" in table
    assert "| serial `nbgrader autograde` | 600 s | 15.0 s | +3.0 s |" in table
    assert "| 330 s | 15.5 s | +2.5 s |" in table
    verdict = " ".join(table.split())  # as one line, wherever it wraps
    assert "1.10 times the ideal" in verdict and "at most 1.2: met)" in verdict
    assert "speed-up of 1.82" in verdict and "+2.5 s in the parallel run (missed)" in verdict
