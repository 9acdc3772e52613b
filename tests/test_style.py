"""The Python code passes ruff (lint and format), as configured in pyproject.toml."""

import subprocess
import sys

from course_tools import ROOT

RUFF = [sys.executable, "-m", "ruff"]
PYTHON_CODE = [
    "helpers",
    "instructor",
    "hub",
    "tests",
    "data",
    "course.py",
    "conftest.py",
    "nbgrader_config.py",
]


def test_ruff_lint():
    result = subprocess.run([*RUFF, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_ruff_format():
    result = subprocess.run(
        [*RUFF, "format", "--check", *PYTHON_CODE], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
