"""The course's labs as nbgrader sees them: one folder per lab in the source folder."""

from __future__ import annotations

import sys
from pathlib import Path


def lab_names(course: Path, source_directory: str) -> list[str]:
    """The labs of the course: the folders of ``course/source_directory`` that hold a notebook."""
    source = course / source_directory
    folders = sorted(p for p in source.iterdir() if p.is_dir()) if source.is_dir() else []
    return [p.name for p in folders if any(p.glob("*.ipynb"))]


def check_lab(course: Path, source_directory: str, lab: str) -> None:
    """Exit, naming the course's labs, unless ``lab`` is one of them."""
    labs = lab_names(course, source_directory)
    if lab not in labs:
        known = ", ".join(labs) or f"none: {source_directory}/ has no lab folder"
        sys.exit(f"No lab '{lab}' in {source_directory}/; the labs are: {known}.")


def students_with(submitted: Path, lab: str) -> list[str]:
    """The students who have a folder for ``lab`` in ``submitted/<student>/<lab>/``."""
    return sorted(p.parent.name for p in submitted.glob(f"*/{lab}") if p.is_dir())


def named(students: list[str], most: int = 12) -> str:
    """Student ids for a message: the first ``most`` of them and how many more."""
    more = f" and {len(students) - most} more" if len(students) > most else ""
    return ", ".join(students[:most]) + more
