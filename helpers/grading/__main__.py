"""Grade every submission of one lab in parallel: ``python3 course.py grade <lab> [options]``.

Run from the course folder (where nbgrader_config.py is), after ``release`` and ``collect``.
Students are graded by Dask workers: local processes by default, or the workers of a running
Dask cluster (``--scheduler tcp://host:8786``) started from the course's environment. Results go
into the course's gradebook and autograded/ as with ``nbgrader autograde``, one line per student
is printed as they finish, and reports/<lab>.csv keeps the lines.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import sys
import time
from pathlib import Path

from helpers.grading import gradebook, units
from helpers.grading.bounds import Limits


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="course.py grade", description=__doc__.split("\n")[0])
    parser.add_argument("lab", help="the lab's folder name, e.g. 04_variational_autoencoder")
    parser.add_argument("--student", action="append", help="grade only this student (repeatable)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="local worker processes (default: one per core)")  # fmt: skip
    parser.add_argument("--scheduler", help="address of a running Dask scheduler to use instead")
    parser.add_argument("--time-limit", type=float, default=Limits.seconds, help="seconds per student (default %(default)g)")  # fmt: skip
    parser.add_argument("--memory-limit", type=float, default=Limits.memory_gb, help="GB per student (default %(default)g)")  # fmt: skip
    parser.add_argument("--processes", type=int, default=Limits.processes, help="processes per student (default %(default)d)")  # fmt: skip
    parser.add_argument("--db-url", help="gradebook URL instead of the one in nbgrader_config.py")
    return parser.parse_args(argv)


def find_units(course: Path, args: argparse.Namespace, threads: int) -> list[units.Unit]:
    api = units.course_api(course)
    lab = args.lab
    if not (course / api.coursedir.source_directory / lab).is_dir():
        sys.exit(f"No lab '{lab}' in {api.coursedir.source_directory}/: give a lab's folder name.")
    submitted = course / api.coursedir.submitted_directory
    students = sorted(p.parent.name for p in submitted.glob(f"*/{lab}") if p.is_dir())
    students = [s for s in students if not args.student or s in args.student]
    if not students:
        sys.exit(
            f"No submissions in {submitted.name}/<student>/{lab}/: run `course.py collect` first."
        )
    source = units.read_folder(course / api.coursedir.source_directory / lab)
    common = {
        "template": gradebook.template(course, lab),
        "config": (course / units.CONFIG).read_text(),
        "source_files": {k: v for k, v in source.items() if not k.endswith(".ipynb")},
        "limits": Limits(args.time_limit, args.memory_limit, args.processes),
        "threads": threads,
    }
    return [units.Unit(lab, s, units.read_folder(submitted / s / lab), **common) for s in students]


def line(done: int, total: int, outcome: units.Outcome) -> str:
    bar = "#" * (20 * done // total)
    status = f"{outcome.score:g}/{outcome.max_score:g}" if outcome.graded else "not graded"
    text = f"[{bar:<20}] {done}/{total} {outcome.student}: {status}, {outcome.seconds:.1f} s"
    return text + "".join(f"\n      - {problem}" for problem in outcome.problems)


def main(argv: list[str] | None = None) -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    args = arguments(argv)
    # nbgrader runs `alembic` when it creates a gradebook: the one of this environment
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    course = Path.cwd()
    db_url = args.db_url or units.course_api(course).coursedir.db_url
    threads = 0 if args.scheduler else max(1, (os.cpu_count() or 1) // args.workers)
    work = find_units(course, args, threads)
    started = time.monotonic()
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(
            n_workers=min(args.workers, len(work)), threads_per_worker=1, processes=True,
            memory_limit=0, dashboard_address=None, silence_logs=logging.CRITICAL,
        )  # fmt: skip
        client = Client(cluster)
    rows = []
    print(f"Grading {len(work)} submissions of {args.lab} on {len(client.scheduler_info()['workers'])} workers")  # fmt: skip
    with client:
        futures = client.map(
            units.grade, work, pure=False, key=[f"grade-{u.student}" for u in work]
        )
        unit_of = dict(zip(futures, work, strict=True))
        for done, future in enumerate(as_completed(futures), 1):
            try:
                outcome = future.result()
            except Exception as error:  # the worker itself died: this student only
                unit = unit_of[future]
                outcome = units.Outcome(unit.lab, unit.student, 0.0, False, 0.0, 0.0)
                outcome.problems = [f"the grading process failed ({type(error).__name__}: {error}); grade again with --student {unit.student}"]  # fmt: skip
            gradebook.merge(course, db_url, outcome)
            print(line(done, len(work), outcome), flush=True)
            rows.append([outcome.student, outcome.score, outcome.max_score, round(outcome.seconds, 1), " | ".join(outcome.problems)])  # fmt: skip
        if not args.scheduler:
            cluster.close()
    report = course / "reports" / f"{args.lab}.csv"
    report.parent.mkdir(exist_ok=True)
    with report.open("w", newline="") as file:
        csv.writer(file).writerows([["student", "score", "max_score", "seconds", "problems"], *sorted(rows)])  # fmt: skip
    flagged = sum(1 for row in rows if row[4])
    print(f"Graded {len(rows)} students in {time.monotonic() - started:.0f} s; {flagged} with problems (above, and in {report.relative_to(course)})")  # fmt: skip


if __name__ == "__main__":
    main()
