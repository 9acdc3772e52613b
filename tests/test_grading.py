"""`course.py grade`: a generated class of every kind of submission, graded in parallel under
limits, with the expected scores and reports, the same gradebook as a serial nbgrader run, and
feedback without hidden tests."""

import csv
import glob
import html
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import psutil
import pytest
from grading_class import (
    EXPECTED,
    GRADED,
    LAB,
    REPORT,
    UNBOUNDED,
    make_class,
    make_toy_course,
    toy_source,
)
from nbgrader.api import Gradebook

from course_tools import ROOT, grade_in_parallel, nbgrader

pytestmark = pytest.mark.pipeline
SERIAL = ["correct", "blank", "partial", "tampered", "deleted", "wrong_kernel", "noisy"]


def grade(course, *args):
    return grade_in_parallel(course, LAB, *args)


@pytest.fixture(scope="module")
def parallel(tmp_path_factory):
    """The generated class graded in parallel, with Dask's dashboard port taken by another
    program and 12 MB of students' data files, as in a real class."""
    course = make_toy_course(tmp_path_factory.mktemp("parallel"))
    make_class(course)
    for student in GRADED:
        (course / "submitted" / student / LAB / "data.bin").write_bytes(os.urandom(1_500_000))
    with socket.socket() as dashboard:
        try:
            dashboard.bind(("127.0.0.1", 8787))
            dashboard.listen()
        except OSError:
            pass  # already taken
        run = grade(course, "--workers", "2", "--time-limit", "15", "--memory-limit", "1.5", "--processes", "10")  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    for warning in ("8787", "large graph"):  # Dask's warnings stay out of the output
        assert warning not in run.stdout + run.stderr, run.stderr
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
    make_class(course, ["correct", "blank"])
    with pytest.raises(SystemExit, match=re.escape("No submission of toy from zoe in submitted/; the students with one are: blank, correct.")):  # fmt: skip
        main([LAB, "--student", "zoe", "--workers", "1"])
    shutil.rmtree(course / "submitted")
    for damage, message in [
        (lambda: None, "run `course.py collect` first"),
        (lambda: (course / "gradebook.db").unlink(), "run `python3 course.py release` first"),
        (lambda: shutil.rmtree(course / "solutions" / LAB), "No lab 'toy' in solutions/"),
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
    assert "INFO" not in run.stdout + run.stderr  # nbgrader's INFO lines only on request
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


def test_report_counts_and_groups_equal_the_class(parallel, monkeypatch, capsys):
    from instructor.report import results, stats
    from instructor.report.__main__ import main

    course, _ = parallel
    monkeypatch.chdir(course)
    main([LAB])
    assert "reports/toy.html" in capsys.readouterr().out
    found = results.read(course, LAB, f"sqlite:///{course / 'gradebook.db'}", "solutions")
    assert sorted(s.name for s in found.students if s.graded) == GRADED
    assert {s.name for s in found.students if not s.graded} == set(EXPECTED) - set(GRADED)
    for task in stats.task_stats(found):
        expected = REPORT[task.grade_id]
        assert (task.full, task.partial, task.none) == (len(GRADED) - expected["none"], 0, expected["none"])  # fmt: skip
        assert {g.message: g.students for g in task.groups} == expected["groups"]
        assert not task.flag  # neither failed by most of the class nor by nobody
    page = (course / "reports" / f"{LAB}.html").read_text()
    assert "add(-1, 1)" not in page, "hidden-test code in the report"
    assert "<img" in page and not re.search(r'(src|href)="(?!data:)', page)  # self-contained
    for student, (_, problem) in EXPECTED.items():
        assert student in page and problem in html.unescape(page), student
    rows = {row["grading_cell"]: row for row in csv.DictReader((course / "reports" / f"{LAB}_tasks.csv").open())}  # fmt: skip
    assert rows["scale_tests"]["failures"].startswith("2 x NotImplementedError")
    assert "None above" in page  # one-line answers, as any correct submission has: no near-copy


def test_grades_export_tells_apart_not_handed_out_no_valid_submission_and_zero(parallel, tmp_path):
    """The exporter that nbgrader_config.py gives `nbgrader export` (the README's sequence runs
    it), on a copy of the graded class's gradebook."""
    from instructor.grades_export import rows

    course = parallel[0]
    db_url = f"sqlite:///{shutil.copy(course / 'gradebook.db', tmp_path)}"
    with Gradebook(db_url) as gradebook:
        gradebook.update_or_create_student("zoe")  # enrolled, submitted nothing
        gradebook.update_or_create_assignment("later")  # released, not handed out yet
        found = {(r["student_id"], r["assignment"]): r for r in rows(gradebook, course / "reports", [], [])}  # fmt: skip
    status = {key: (row["status"], row["score"]) for key, row in found.items()}
    assert status["correct", LAB] == ("graded", 3.0)
    assert status["blank", LAB] == ("graded", 0.0)
    assert status["zoe", LAB] == ("no submission", "")
    for student in ["broken", "not_a_notebook", *UNBOUNDED]:
        assert status[student, LAB] == ("no valid submission", ""), student
    assert "is not a notebook" in found["broken", LAB]["problems"]
    assert {status[s, "later"] for s in [*EXPECTED, "zoe"]} == {("not handed out", "")}


def test_collect_shows_nbgrader_info_lines_on_request(tmp_path, monkeypatch):
    from instructor.grading import collect

    (tmp_path / "solutions" / LAB).mkdir(parents=True)  # a course folder; nbgrader never runs
    nbformat.write(toy_source(), tmp_path / "solutions" / LAB / f"{LAB}.ipynb")
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    monkeypatch.chdir(tmp_path)
    calls = []
    monkeypatch.setattr(collect.subprocess, "call", lambda argv, **kw: calls.append(argv) or 0)
    for flags in ([], ["--verbose"]):
        with pytest.raises(SystemExit):
            collect.main([LAB, str(tmp_path), *flags])
    assert [argv[-1] for argv in calls] == ["--log-level=WARN", "--log-level=INFO"]


def test_regrading_some_students_keeps_the_others_report_rows(tmp_path):
    from instructor.grading.__main__ import write_report
    from instructor.grading.units import Outcome

    def outcome(student, score):
        return Outcome(LAB, student, seconds=1.0, graded=True, score=score, max_score=3.0)

    write_report(tmp_path, LAB, [outcome("alice", 1.0), outcome("bob", 2.0)])
    write_report(tmp_path, LAB, [outcome("alice", 3.0)])  # grade --student alice
    rows = list(csv.DictReader((tmp_path / "reports" / f"{LAB}.csv").open()))
    assert [(r["student"], float(r["score"])) for r in rows] == [("alice", 3.0), ("bob", 2.0)]
