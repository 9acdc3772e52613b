"""Benchmark (not a test): grade a generated class of one lab serially with nbgrader and in
parallel with `course.py grade`, in one run, on this machine.

    .venv/bin/python tests/grading_benchmark.py 01_dense_autoencoders 40

Prints the wall times, their ratio against the ideal (serial time / workers), and the
per-student overhead: the time a student costs in each path (and one work unit on an idle
machine) minus the time to run the same notebook alone in a kernel (nbclient, grade profile)
with as many CPU threads. Writes what it measured to ``instructor/grading_benchmark.json``, from
which ``python3 course.py results`` writes the table in INSTRUCTORS.md.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course_tools import (
    BIN,
    ROOT,
    grade_in_parallel,
    make_course,
    nbgrader,
    notebook,
    partly_solved_copy,
    solved_copy,
)
from instructor.grading import gradebook, units


def run_alone(nb: nbformat.NotebookNode, folder: Path, threads: int) -> float:
    """Seconds to execute ``nb`` in a fresh kernel as nbgrader does (grade profile), kernel start included."""
    os.environ.update(NBGRADER_EXECUTION="autograde", TF_NUM_INTRAOP_THREADS=str(threads), OMP_NUM_THREADS=str(threads), TF_NUM_INTEROP_THREADS="1")  # fmt: skip
    started = time.monotonic()
    NotebookClient(nbformat.from_dict(nb), timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()  # fmt: skip
    seconds = time.monotonic() - started
    for name in ("NBGRADER_EXECUTION", "TF_NUM_INTRAOP_THREADS", "OMP_NUM_THREADS", "TF_NUM_INTEROP_THREADS"):  # fmt: skip
        os.environ.pop(name)
    return seconds


def main(lab: str, students: int) -> None:
    os.environ.pop("COURSE_PROFILE", None)
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ['PATH']}"  # nbgrader runs alembic
    workers = os.cpu_count() or 1
    threads = max(1, (os.cpu_count() or 1) // workers)  # what `course.py grade` gives each kernel
    tmp = Path(tempfile.mkdtemp(prefix="grading-bench-"))
    serial = make_course(tmp)
    release, source = notebook(serial / "labs", lab), notebook(serial / "solutions", lab)
    for i in range(students):  # three in four solved, the rest partly
        nb = solved_copy(release, source) if i % 4 else partly_solved_copy(release, source)
        folder = serial / "submitted" / f"student{i:03d}" / lab
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{lab}.ipynb")
    parallel = tmp / "parallel"
    shutil.copytree(serial, parallel)
    solved = solved_copy(release, source)
    alone_all = min(run_alone(solved, tmp, workers) for _ in range(2))
    alone_one = min(run_alone(solved, tmp, threads) for _ in range(2))
    probe = units.Unit(
        lab, "probe", {f"{lab}.ipynb": nbformat.writes(solved).encode()},
        gradebook.template(serial, lab), (serial / "nbgrader_config.py").read_text(), threads=workers,
    )  # fmt: skip
    one_unit = min(units.grade(probe).seconds for _ in range(2))
    started = time.monotonic()
    nbgrader(serial, "autograde", lab)
    t_serial = time.monotonic() - started
    started = time.monotonic()
    run = grade_in_parallel(parallel, lab, "--workers", str(workers))
    t_parallel = time.monotonic() - started
    assert run.returncode == 0, run.stdout + run.stderr
    rows = list(csv.DictReader((parallel / "reports" / f"{lab}.csv").open()))
    per_unit = sum(float(r["seconds"]) for r in rows) / len(rows)
    ideal = t_serial / workers
    print(f"{lab}, {students} submissions, {workers} cores")
    print(f"notebook alone (kernel start included): {alone_all:.1f} s with {workers} threads, {alone_one:.1f} s with {threads}")  # fmt: skip
    print(f"one work unit on an idle machine: {one_unit:.1f} s, overhead {one_unit - alone_all:+.1f} s over the notebook alone")  # fmt: skip
    print(f"serial nbgrader autograde: {t_serial:.0f} s ({t_serial / students:.1f} s per student, overhead {t_serial / students - alone_all:+.1f} s)")  # fmt: skip
    print(f"parallel course.py grade, {workers} workers: {t_parallel:.0f} s ({per_unit:.1f} s per student in a worker, overhead {per_unit - alone_one:+.1f} s)")  # fmt: skip
    print(f"speed-up {t_serial / t_parallel:.2f}x; parallel / (serial / {workers}) = {t_parallel / ideal:.2f} (aim: at most 1.2)")  # fmt: skip
    seconds = {"alone": alone_all, "alone_per_worker": alone_one, "one_unit": one_unit,
               "serial": t_serial, "parallel": t_parallel, "parallel_per_unit": per_unit}  # fmt: skip
    record = {"lab": lab, "students": students, "workers": workers, "threads": threads,
              "date": time.strftime("%Y-%m-%d"), "seconds": {k: round(v, 3) for k, v in seconds.items()}}  # fmt: skip
    (ROOT / "instructor" / "grading_benchmark.json").write_text(json.dumps(record, indent=1) + "\n")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40)
