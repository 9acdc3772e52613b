"""Benchmark (not a test): a class of N students of Lab 01 or 02 of mixed kinds, graded with
`course.py grade`, then `course.py report` timed; the page's size, and optionally its screenshot.

    .venv/bin/python tests/report_benchmark.py 01_dense_autoencoders 40 [--screenshot page.png]

The kinds cycle: verbatim and reworded copies of the published solution, independent answers
(tests/copy_cases.py), independent answers with a bug in the first or last task, two tasks
answered, untouched releases, and a damaged file. Students of one kind share their answers, so
they are near-copies of each other too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from copy_cases import INDEPENDENT, REWORDED, answered

from course_tools import BIN, ROOT, nbgrader, notebook, solved_copy

BUGS = {  # a wrong first task (float64 vectors) or a wrong last one (no decoder layers)
    "lab01_to_vectors": ("np.float32)", "np.float64)"),
    "lab01_build_deep": ("for width in widths[::-1]:", "for width in []:"),
    "lab02_to_channels": ("dtype=np.float32", "dtype=np.float64"),
    "lab02_build_strided": ("(8, 0), (8, None), (16, None)", "(8, 0), (8, None)"),
}


def kinds(release, source, lab):
    mine = {k: v for k, v in INDEPENDENT.items() if k.startswith(f"lab{lab[:2]}")}
    first, *_, last = mine
    bug = lambda task: {**mine, task: mine[task].replace(*BUGS[task])}  # noqa: E731
    return [
        solved_copy(release, source), answered(release, REWORDED), answered(release, mine),
        answered(release, bug(first)), answered(release, dict(list(mine.items())[:2])),
        answered(release, bug(last)), release, None,
    ]  # fmt: skip


def make_class(tmp: Path, lab: str, students: int) -> Path:
    course = tmp / "course"
    shutil.copytree(ROOT / "solutions" / lab, course / "solutions" / lab)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    nbgrader(course, "generate_assignment", lab, "--force")
    release, source = notebook(course / "labs", lab), notebook(course / "solutions", lab)
    cycle = kinds(release, source, lab)
    for i in range(students):
        folder = course / "submitted" / f"student{i:03d}" / lab
        folder.mkdir(parents=True)
        nb = cycle[i % len(cycle)]
        if nb is None:
            (folder / f"{lab}.ipynb").write_text('{"cells": [')  # a half-saved file
        else:
            nbformat.write(nb, folder / f"{lab}.ipynb")
    return course


def screenshot(page: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, chromium_sandbox=False, args=["--disable-gpu", "--disable-dev-shm-usage"])  # fmt: skip
        tab = browser.new_page(viewport={"width": 1100, "height": 900})
        tab.goto(page.as_uri())
        tab.screenshot(path=str(out), full_page=False)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lab", choices=["01_dense_autoencoders", "02_conv_autoencoder"])
    parser.add_argument("students", type=int, nargs="?", default=40)
    parser.add_argument("--screenshot", type=Path, help="save a screenshot of the page here")
    args = parser.parse_args()
    os.environ.pop("COURSE_PROFILE", None)
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ['PATH']}"
    tmp = Path(tempfile.mkdtemp(prefix="report-bench-"))
    course = make_class(tmp, args.lab, args.students)
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "instructor.grading", args.lab], cwd=course, env=env, check=True)  # fmt: skip
    print(f"graded {args.students} students in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    report = subprocess.run([sys.executable, "-m", "instructor.report", args.lab], cwd=course, capture_output=True, text=True, env=env, check=True)  # fmt: skip
    print(report.stdout + f"course.py report, whole command: {time.monotonic() - started:.1f} s")
    page = course / "reports" / f"{args.lab}.html"
    print(f"{page.name}: {page.stat().st_size / 1e3:.0f} kB")
    if args.screenshot:
        screenshot(page, args.screenshot.resolve())
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
