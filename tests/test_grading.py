"""`course.py grade`: a generated class of every kind of submission, graded in parallel under
limits, with the expected scores and reports, the same gradebook as a serial nbgrader run, and
feedback without hidden tests."""

import csv
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
import pytest
from grading_class import EXPECTED, LAB, UNBOUNDED, make_class, make_toy_course
from nbgrader.api import Gradebook

from course_tools import ROOT, grade_in_parallel, nbgrader

pytestmark = pytest.mark.pipeline
SERIAL = ["correct", "blank", "partial", "tampered", "deleted", "wrong_kernel", "noisy"]


def grade(course, *args):
    return grade_in_parallel(course, LAB, *args)


@pytest.fixture(scope="module")
def parallel(tmp_path_factory):
    course = make_toy_course(tmp_path_factory.mktemp("parallel"))
    make_class(course)
    run = grade(course, "--workers", "2", "--time-limit", "15", "--memory-limit", "1.5", "--processes", "10")  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    return course, run.stdout


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    """The same class, the students nbgrader can grade on its own, graded by nbgrader serially."""
    course = make_toy_course(tmp_path_factory.mktemp("serial"))
    make_class(course, SERIAL)
    nbgrader(course, "autograde", LAB)
    return course


@pytest.fixture(scope="module")
def postgres_url():
    """A PostgreSQL server of its own in a temporary folder (Unix socket, free port), stopped after."""
    initdb = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))), None)  # fmt: skip
    if not initdb:
        pytest.skip("no PostgreSQL server here (initdb not found): install it, e.g. `apt-get install postgresql`")  # fmt: skip
    pg_ctl = str(Path(initdb).with_name("pg_ctl"))
    folder = Path(tempfile.mkdtemp(prefix="gradebook-pg-"))
    folder.chmod(0o755)
    as_user = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        if not shutil.which("runuser"):
            pytest.skip("running as root without `runuser`: PostgreSQL cannot start as root")
        user = "postgres" if "postgres" in {u.pw_name for u in pwd.getpwall()} else "nobody"
        shutil.chown(folder, user)
        as_user = ["runuser", "-u", user, "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data, log = folder / "data", folder / "server.log"
    started = subprocess.run(as_user + [initdb, "-D", str(data), "-U", "course", "--auth=trust"], capture_output=True, text=True)  # fmt: skip
    if started.returncode == 0:
        options = f"-k {folder} -p {port} -c listen_addresses=''"
        started = subprocess.run(as_user + [pg_ctl, "-D", str(data), "-o", options, "-w", "-l", str(log), "start"], capture_output=True, text=True)  # fmt: skip
    if started.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"PostgreSQL could not start here: {(started.stderr or started.stdout).strip()[-300:]}")  # fmt: skip
    try:
        yield f"postgresql://course@/postgres?host={folder}&port={port}"
    finally:
        subprocess.run(as_user + [pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def scores(course, students, db_url=None):
    with Gradebook(db_url or f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {
            (student, grade.name): (grade.auto_score, grade.needs_manual_grade)
            for student in students
            for grade in gradebook.find_submission_notebook(LAB, LAB, student).grades
        }


def test_every_student_gets_the_expected_score_and_report(parallel):
    course, stdout = parallel
    report = {row["student"]: row for row in csv.DictReader((course / "reports" / f"{LAB}.csv").open())}  # fmt: skip
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student, (points, problem) in EXPECTED.items():
            submission = gradebook.find_submission(LAB, student)
            assert submission.score == points, f"{student}: {submission.score}"
            assert problem in report[student]["problems"], f"{student}: {report[student]}"
            assert f"{student}: " in stdout
            if not problem:
                assert not report[student]["problems"], f"{student}: {report[student]}"
    assert f"Graded {len(EXPECTED)} students" in stdout


def test_stopped_and_damaged_submissions_are_flagged_for_manual_grading(parallel):
    course, _ = parallel
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in [*UNBOUNDED, "deleted"]:
            assert gradebook.find_submission(LAB, student).needs_manual_grade, student
        assert not gradebook.find_submission(LAB, "correct").needs_manual_grade


def test_no_process_of_a_stopped_student_survives(parallel):
    course, _ = parallel
    left = []
    for process in psutil.process_iter(["cwd"]):
        cwd = process.info["cwd"] or ""
        if any(f"/autograded/{student}/" in cwd for student in UNBOUNDED):
            left.append(process)
    assert not left, f"left running: {left}"


def test_merged_gradebook_equals_a_serial_nbgrader_run(parallel, serial):
    assert scores(parallel[0], SERIAL) == scores(serial, SERIAL)


def test_feedback_of_the_parallel_path_hides_hidden_tests(parallel):
    course, _ = parallel
    nbgrader(course, "generate_feedback", LAB)
    for student in ["correct", "partial", "blank"]:
        html = (course / "feedback" / student / LAB / f"{LAB}.html").read_text()
        assert "add(-1, 1)" not in html and "hidden tests ran here" in html


def test_the_workers_of_a_running_dask_cluster_grade_the_same(tmp_path, serial):
    """`--scheduler`: the units travel to workers of a cluster started elsewhere (here: in this
    process, two worker processes) and come back with the same scores."""
    from dask.distributed import LocalCluster

    course = make_toy_course(tmp_path)
    make_class(course, ["correct", "partial", "noisy"])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:  # fmt: skip
        run = grade(course, "--scheduler", cluster.scheduler_address)
    assert run.returncode == 0 and "on 2 workers" in run.stdout, run.stdout + run.stderr
    students = ["correct", "partial", "noisy"]
    assert scores(course, students) == scores(serial, students)


def test_unknown_lab_and_empty_class_say_what_to_do(tmp_path, monkeypatch):
    from instructor.grading.__main__ import main

    course = make_toy_course(tmp_path)
    monkeypatch.chdir(course)
    monkeypatch.setenv("PATH", os.environ["PATH"])  # main() puts its environment first
    for damage, message in [
        (lambda: None, "run `course.py collect` first"),
        (lambda: (course / "gradebook.db").unlink(), "run `python3 course.py release` first"),
        (lambda: shutil.rmtree(course / "solutions" / LAB), "No lab 'toy'"),
    ]:
        damage()
        with pytest.raises(SystemExit, match=re.escape(message)):
            main([LAB, "--workers", "1"])


def test_collect_files_named_by_student(tmp_path):
    course = make_toy_course(tmp_path)
    download = tmp_path / "download"
    download.mkdir()
    release = course / "labs" / LAB / f"{LAB}.ipynb"
    shutil.copy(release, download / f"alice_{LAB}.ipynb")
    shutil.copy(release, download / f"bob_{LAB} (1).ipynb")
    (download / f"carol_{LAB}.html").write_text("<html></html>")
    run = subprocess.run(
        [sys.executable, "-m", "instructor.grading.collect", LAB, str(download)],
        cwd=course, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert (course / "submitted" / "alice" / LAB / f"{LAB}.ipynb").is_file()
    assert (course / "submitted" / "bob" / LAB / f"{LAB} (1).ipynb").is_file()  # grade renames it
    assert (
        f"Not collected (not a .ipynb, or the pattern does not match): carol_{LAB}.html"
        in run.stdout
    )
    assert "2 students have a submission" in run.stdout


def test_a_postgres_gradebook_works_as_sqlite(tmp_path, postgres_url, serial):
    course = make_toy_course(tmp_path, f"--CourseDirectory.db_url={postgres_url}")
    make_class(course, SERIAL)
    run = grade(course, "--workers", "2", "--db-url", postgres_url)
    assert run.returncode == 0, run.stdout + run.stderr
    assert scores(course, SERIAL, postgres_url) == scores(serial, SERIAL)
    nbgrader(course, "export", f"--CourseDirectory.db_url={postgres_url}")
    rows = list(csv.DictReader((course / "grades.csv").open()))
    assert {row["student_id"]: float(row["score"]) for row in rows} == {
        s: EXPECTED[s][0] for s in SERIAL
    }
