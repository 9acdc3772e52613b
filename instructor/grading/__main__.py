"""Grade every submission of one or more labs in parallel: ``python3 course.py grade <lab>... [options]``.

Run from the course folder (where nbgrader_config.py is), after ``release`` and ``collect``.
Students are graded by Dask workers: local processes by default, or the workers of a running
Dask cluster (``--scheduler tcp://host:8786``) started from the course's environment. Results go
into the course's gradebook and autograded/ as with ``nbgrader autograde``, one line per student
is printed as they finish, and reports/<lab>.csv keeps the lines. Several labs graded in one run
share the workers, which keeps every core busy to the end.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import logging
import os
import sys
import time
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from instructor.grading import gradebook, units
from instructor.grading.bounds import Limits
from instructor.grading.labs import check_lab, named, students_with


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="course.py grade", description=__doc__.split("\n")[0])
    parser.add_argument("labs", nargs="+", metavar="lab", help="a lab's folder name, e.g. 04_variational_autoencoder")  # fmt: skip
    parser.add_argument("--student", action="append", help="grade only this student (repeatable)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="local worker processes (default: one per core)")  # fmt: skip
    parser.add_argument("--scheduler", help="address of a running Dask scheduler to use instead")
    parser.add_argument("--time-limit", type=float, default=Limits.seconds, help="seconds per student (default %(default)g)")  # fmt: skip
    parser.add_argument("--memory-limit", type=float, default=Limits.memory_gb, help="GB per student (default %(default)g)")  # fmt: skip
    parser.add_argument("--processes", type=int, default=Limits.processes, help="processes per student (default %(default)d)")  # fmt: skip
    parser.add_argument("--db-url", help="gradebook URL instead of the one in nbgrader_config.py")
    args = parser.parse_args(argv)
    args.labs = list(dict.fromkeys(args.labs))  # each lab once
    return args


def find_units(
    course: Path, lab: str, args: argparse.Namespace, db_url: str, threads: int
) -> list[units.Unit]:
    api = units.course_api(course)
    check_lab(course, api.coursedir.source_directory, lab)
    source_dir = course / api.coursedir.source_directory / lab
    with Gradebook(db_url) as course_gradebook:
        try:
            course_gradebook.find_assignment(lab)
        except MissingEntry:
            sys.exit(f"'{lab}' is not in the gradebook ({db_url}): run `python3 course.py release` first.")  # fmt: skip
    submitted = course / api.coursedir.submitted_directory
    found = students_with(submitted, lab)
    if not found:
        sys.exit(
            f"No submissions in {submitted.name}/<student>/{lab}/: run `course.py collect` first."
        )
    unknown = [s for s in args.student or [] if s not in found]
    if unknown:
        sys.exit(
            f"No submission of {lab} from {', '.join(unknown)} in {submitted.name}/; the students "
            f"with one are: {named(found)}. Check the --student names."
        )
    students = [s for s in found if not args.student or s in args.student]
    source = units.read_folder(source_dir)
    common = {
        "template": gradebook.template(course, lab),
        "config": (course / units.CONFIG).read_text(),
        "source_files": {k: v for k, v in source.items() if not k.endswith(".ipynb")},
        "limits": Limits(args.time_limit, args.memory_limit, args.processes),
        "threads": threads,
    }
    return [units.Unit(lab, s, units.read_folder(submitted / s / lab), **common) for s in students]


def line(done: int, total: int, outcome: units.Outcome, labs: int) -> str:
    bar = "#" * (20 * done // total)
    status = f"{outcome.score:g}/{outcome.max_score:g}" if outcome.graded else "not graded"
    who = f"{outcome.student} ({outcome.lab})" if labs > 1 else outcome.student
    text = f"[{bar:<20}] {done}/{total} {who}: {status}, {outcome.seconds:.1f} s"
    return text + "".join(f"\n      - {problem}" for problem in outcome.problems)


def grade_all(client, work: list[units.Unit], window: int):
    """Yield each student's outcome as soon as it is graded; a crashed worker costs one student.

    At most ``window`` units (one per worker thread) are in flight: each is sent as it is needed,
    so no message to the scheduler carries more than one student's files (no "large graph")."""
    from dask.distributed import as_completed

    waiting = iter(work)
    unit_of = {}

    def send(unit: units.Unit):
        future = client.submit(units.grade, unit, pure=False, key=f"grade-{unit.lab}-{unit.student}")  # fmt: skip
        unit_of[future.key] = unit
        return future

    running = as_completed([send(unit) for unit in itertools.islice(waiting, window)])
    for future in running:
        following = next(waiting, None)
        if following is not None:
            running.add(send(following))
        unit = unit_of.pop(future.key)
        try:
            yield future.result()
        except Exception as error:
            yield units.Outcome(
                unit.lab, unit.student, seconds=0.0, graded=False, score=0.0, max_score=0.0,
                problems=[f"the grading process failed ({type(error).__name__}: {error}); grade again with --student {unit.student}"],
            )  # fmt: skip
        future.release()


def write_report(course: Path, lab: str, outcomes: list[units.Outcome]) -> Path:
    """reports/<lab>.csv: one row per student; the rows of students not graded in this run
    (``--student``) are kept."""
    report = course / "reports" / f"{lab}.csv"
    report.parent.mkdir(exist_ok=True)
    rows = {}
    if report.is_file():
        with report.open(newline="") as file:
            rows = {row["student"]: list(row.values()) for row in csv.DictReader(file)}
    for o in outcomes:
        rows[o.student] = [o.student, o.score, o.max_score, round(o.seconds, 1), " | ".join(o.problems)]  # fmt: skip
    with report.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["student", "score", "max_score", "seconds", "problems"])
        writer.writerows(rows[student] for student in sorted(rows))
    return report


def main(argv: list[str] | None = None) -> None:
    from dask.distributed import Client, LocalCluster

    args = arguments(argv)
    # nbgrader runs `alembic` when it creates a gradebook: the one of this environment
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    course = Path.cwd()
    db_url = args.db_url or units.course_api(course).coursedir.db_url
    threads = 0 if args.scheduler else max(1, (os.cpu_count() or 1) // args.workers)
    work = [unit for lab in args.labs for unit in find_units(course, lab, args, db_url, threads)]
    started = time.monotonic()
    cluster = None
    if not args.scheduler:
        cluster = LocalCluster(
            n_workers=min(args.workers, len(work)), threads_per_worker=1, processes=True,
            memory_limit=0, dashboard_address=None, silence_logs=logging.CRITICAL,
            # no dashboard; the scheduler's small HTTP server on any free port, not 8787
            scheduler_kwargs={"dashboard_address": ":0"},
        )  # fmt: skip
    outcomes = []
    with Client(args.scheduler or cluster) as client:
        slots = client.nthreads()  # worker: its threads
        print(f"Grading {len(work)} submissions of {', '.join(args.labs)} on {len(slots)} workers", flush=True)  # fmt: skip
        for outcome in grade_all(client, work, window=max(1, sum(slots.values()))):
            gradebook.merge(course, db_url, outcome)
            outcomes.append(outcome)
            print(line(len(outcomes), len(work), outcome, len(args.labs)), flush=True)
    if cluster:
        cluster.close()
    for lab in args.labs:
        mine = [o for o in outcomes if o.lab == lab]
        report = write_report(course, lab, mine)
        flagged = sum(1 for o in mine if o.problems)
        print(f"Graded {len(mine)} students of {lab}; {flagged} with problems (above, and in {report.relative_to(course)})")  # fmt: skip
    print(f"Done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
