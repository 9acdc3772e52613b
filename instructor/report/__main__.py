"""A class report per lab: ``python3 course.py report <lab>... [--threshold 0.6]``.

Run from the course folder after ``course.py grade``. Writes ``reports/<lab>.html`` (one
self-contained page: score distribution, per-task counts and discrimination, failure messages
grouped, near-copies side by side, grading times and problems) and ``reports/<lab>_tasks.csv``,
and prints a few lines per lab.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbgrader.api import MissingEntry

from instructor.grading.labs import check_lab
from instructor.grading.units import course_api
from instructor.report import copies, page, results, stats


def submissions(folder: Path, lab: str, notebook: str) -> dict[str, nbformat.NotebookNode]:
    """student -> the submitted notebook (a lone renamed one too); unreadable ones left out."""
    found = {}
    for student_dir in sorted(p for p in folder.glob(f"*/{lab}") if p.is_dir()):
        path = student_dir / f"{notebook}.ipynb"
        others = list(student_dir.glob("*.ipynb"))
        if not path.is_file() and len(others) == 1:
            path = others[0]
        try:
            found[student_dir.parent.name] = nbformat.read(path, as_version=4)
        except Exception:  # missing, or not a notebook: `grade` reported it
            continue
    return found


def near_copies(course: Path, api, lab: str, notebooks: list[str]) -> list[copies.NearCopy]:
    """Every pair compared, per notebook of the lab (see ``copies.all_pairs``)."""
    dirs = api.coursedir
    pairs = []
    for notebook in notebooks:
        source, release = (
            nbformat.read(course / folder / lab / f"{notebook}.ipynb", as_version=4)
            for folder in (dirs.source_directory, dirs.release_directory)
        )
        class_ = submissions(course / dirs.submitted_directory, lab, notebook)
        pairs += copies.all_pairs(class_, source, release)
    return pairs


def report(course: Path, lab: str, db_url: str, threshold: float) -> list[str]:
    """Write the lab's page and CSV; the lines to print."""
    api = course_api(course)
    try:
        found = results.read(course, lab, db_url, api.coursedir.source_directory)
    except MissingEntry:
        sys.exit(f"'{lab}' is not in the gradebook ({db_url}): run `python3 course.py release` and `grade` first.")  # fmt: skip
    if not found.students:
        sys.exit(f"No graded submission of {lab} in the gradebook: run `python3 course.py grade {lab}` first.")  # fmt: skip
    tasks = stats.task_stats(found)
    median = stats.median_score(found)
    flagged = copies.near_copies(near_copies(course, api, lab, sorted({t.notebook for t in found.tasks})), threshold)  # fmt: skip
    folder = course / "reports"
    folder.mkdir(exist_ok=True)
    path = folder / f"{lab}.html"
    path.write_text(page.html(found, tasks, flagged, threshold, copies.MIN_SHARED, median))
    page.write_csv(folder / f"{lab}_tasks.csv", tasks)
    median_text = (
        f"median {median:g} of {found.max_score:g}" if median is not None else "none graded"
    )
    lines = [f"{lab}: {len(found.students)} submissions, {median_text}; {sum(bool(s.problems) for s in found.students)} with problems"]  # fmt: skip
    lines += [f"  {t.grade_id}: {t.flag}" for t in tasks if t.flag]
    lines += [f"  {line}" for line in page.near_copies_text(flagged)]
    lines.append(f"  -> {path.relative_to(course)} ({path.stat().st_size / 1e3:.0f} kB) and reports/{lab}_tasks.csv")  # fmt: skip
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="course.py report", description=__doc__.split("\n")[0])
    parser.add_argument("labs", nargs="+", metavar="lab", help="a lab's folder name, e.g. 04_variational_autoencoder")  # fmt: skip
    parser.add_argument("--threshold", type=float, default=copies.THRESHOLD, help="share of answer code found in another to flag a near-copy (default %(default)g)")  # fmt: skip
    parser.add_argument("--db-url", help="gradebook URL instead of the one in nbgrader_config.py")
    args = parser.parse_args(argv)
    course = Path.cwd()
    api = course_api(course)
    for lab in args.labs:
        check_lab(course, api.coursedir.source_directory, lab)
    db_url = args.db_url or api.coursedir.db_url
    if db_url.startswith("sqlite:///") and not Path(db_url.removeprefix("sqlite:///")).is_file():
        sys.exit(f"No gradebook at {db_url}: run `python3 course.py release` and `grade` first.")
    started = time.monotonic()
    for lab in dict.fromkeys(args.labs):
        print("\n".join(report(course, lab, db_url, args.threshold)), flush=True)
    print(f"Done in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
