"""Does a correct answer ever lose a point to chance? ``python3 course.py margins [lab ...]``

Runs each lab's solution notebook in the ``grade`` profile (what the autograder runs) under
several seeds (``COURSE_SEED``) and TensorFlow thread counts (``COURSE_THREADS``), and reports,
for every run, the graded cells that failed and the margins that the visible checks recorded with
``checks.check_margin`` (how far a training-dependent result cleared its bound). The last lines
give the worst margin of each check over all runs. Nothing is written back to the notebooks.

    python3 course.py margins 03 05 --seeds 5 --threads 1 2
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"
REPORT = "import json\nfrom helpers import checks\nprint(json.dumps(checks.MARGINS))"


def failed_grade_cells(nb: nbformat.NotebookNode) -> list[str]:
    """The grade ids of graded cells that raised an error or wrote to stderr (nbgrader scores
    both 0)."""
    return [
        cell.metadata["nbgrader"]["grade_id"]
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
        and any(out.output_type == "error" or out.get("name") == "stderr" for out in cell.outputs)
    ]


def run_once(path: Path, seed: int, threads: int, timeout: int = 600) -> dict:
    """Execute the solution at ``path`` once in the grade profile; its failures and margins."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_code_cell(REPORT))
    env = {"COURSE_PROFILE": "grade", "COURSE_SEED": str(seed), "COURSE_THREADS": str(threads)}
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)  # the kernel inherits them
    start = time.perf_counter()
    try:
        NotebookClient(
            nb,
            timeout=timeout,
            allow_errors=True,
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    report = "".join(out.get("text", "") for out in nb.cells[-1].outputs).strip()
    return {
        "seed": seed,
        "threads": threads,
        "seconds": time.perf_counter() - start,
        "failed": failed_grade_cells(nb),
        "margins": json.loads(report) if report.startswith("{") else {},
    }


def measure(lab: str, seeds: int, thread_counts: list[int]) -> list[dict]:
    """Run ``lab`` under seeds 0..seeds-1 and each thread count, printing a line per run."""
    path = SOLUTIONS / lab / f"{lab}.ipynb"
    runs = []
    for threads in thread_counts:
        for seed in range(seeds):
            run = run_once(path, seed, threads)
            margins = ", ".join(f"{name}: {value:+.2f}" for name, value in run["margins"].items())
            failed = ", ".join(run["failed"]) or "none"
            print(
                f"{lab} seed {seed} threads {threads}: {run['seconds']:.0f} s | failed: {failed} "
                f"| margins: {margins or 'none recorded'}",
                flush=True,
            )
            runs.append(run)
    return runs


def summary(lab: str, runs: list[dict]) -> list[str]:
    """The worst margin of every check over ``runs``, and whether any graded cell failed."""
    names = dict.fromkeys(name for run in runs for name in run["margins"])
    lines = [
        f"{lab}: {name}: worst margin {min(r['margins'][name] for r in runs if name in r['margins']):+.2f}"
        f" over {sum(name in r['margins'] for r in runs)} runs"
        for name in names
    ]
    failures = sorted({cell for run in runs for cell in run["failed"]})
    lines.append(
        f"{lab}: every graded cell passed in all {len(runs)} runs"
        if not failures
        else f"{lab}: FAILED in some runs: {', '.join(failures)}"
    )
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="course.py margins", description=__doc__.split("\n")[0])
    parser.add_argument("labs", nargs="+", help="lab ids, e.g. 03_denoising_inpainting")
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 (default 5)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="default: 1 2")
    args = parser.parse_args(argv)
    lines, failed = [], False
    for lab in args.labs:
        if not (SOLUTIONS / lab / f"{lab}.ipynb").is_file():
            sys.exit(f"{lab}: no such lab in {SOLUTIONS.name}/.")
        runs = measure(lab, args.seeds, args.threads)
        lines += summary(lab, runs)
        failed |= any(run["failed"] for run in runs)
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
