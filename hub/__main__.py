"""python3 course.py hub start|stop: the course's JupyterHub on 127.0.0.1 for a try (as root).

`start` creates the class's Unix accounts (an instructor and students, random passwords),
nbgrader's exchange and configuration, the instructor's course folder, and starts JupyterHub in
the background; `stop` stops the hub, its proxy and the users' servers by their process ids and
removes the accounts and folders that `start` created (the hub's log stays).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from hub.classroom import ROOT, Classroom, ClassroomError, environment_problem
from hub.processes import start_hub, stop_hub

DEFAULT_DIR = ROOT / "build" / "hub"
DEFAULT_USERS = ["ae-instructor", "ae-student1", "ae-student2"]


def check_root() -> None:
    if sys.platform != "linux" or os.geteuid() != 0:
        sys.exit(
            "course.py hub needs Linux and root: it creates Unix accounts and JupyterHub starts "
            "each user's JupyterLab as that user (sudo python3 course.py hub start)"
        )


def start(folder: Path, users: list[str], port: int, python: Path) -> None:
    if (folder / "private" / "class.json").exists():
        sys.exit(f"A hub was started from {folder} already: `python3 course.py hub stop` first.")
    room = Classroom(folder, users[0], users[1:], python)
    try:
        room.write_configuration()
        room.save()  # from here on, `stop` can undo what this start did
        room.create_accounts()
        problem = environment_problem(python, room.students[0])
        if problem:
            raise ClassroomError(problem)
        room.prepare_course()
        start_hub(room, port)
    except (ClassroomError, OSError) as error:
        print(f"hub start failed: {error}\nUndoing it ...", file=sys.stderr)
        stop(folder)
        sys.exit(1)
    hub = room.settings
    print(f"JupyterHub for the course: {hub['bind_url']} (hub pid {hub['hub_pid']})")
    for user in room.users:
        role = "instructor" if user == room.instructor else "student   "
        print(f"  {role} {user:<16} password {room.passwords[user]}")
    print(
        f"The instructor's course folder: {room.course()}\n"
        f"nbgrader's exchange: {room.exchange}; the hub's log: {room.private / 'jupyterhub.log'}\n"
        "Stop it and remove these accounts: python3 course.py hub stop"
    )


def stop(folder: Path) -> None:
    if not (folder / "private" / "class.json").exists():
        sys.exit(f"No hub was started from {folder} (python3 course.py hub start).")
    room = Classroom.load(folder)
    found, left = stop_hub(room)
    problems = [f"process {pid} would not stop" for pid in left] + room.remove_accounts()
    log = folder / "jupyterhub.log"
    if (room.private / "jupyterhub.log").exists():
        (room.private / "jupyterhub.log").rename(log)  # stays root's only
        log.chmod(0o600)
    for name in ("private", "exchange", "etc"):
        shutil.rmtree(folder / name, ignore_errors=True)
    if not any(folder.iterdir()):
        folder.rmdir()
    print(
        f"Stopped {len(found)} processes (pids {' '.join(map(str, sorted(found))) or 'none'}); "
        f"removed the accounts {', '.join(room.passwords) or '(none)'}"
        + (f"; the hub's log: {folder / 'jupyterhub.log'}" if log.exists() else "")
    )
    if problems:
        sys.exit("\n".join(problems))


def main() -> None:
    parser = argparse.ArgumentParser(prog="course.py hub", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    begin = commands.add_parser("start", help="create the class and start the hub")
    begin.add_argument("--port", type=int, default=8000, help="the hub's port on 127.0.0.1")
    begin.add_argument(
        "--python", type=Path, default=Path(sys.executable),
        help="the Python of the course's environment that every account runs (default: this one)",
    )  # fmt: skip
    begin.add_argument(
        "--users", nargs="+", default=DEFAULT_USERS, metavar="NAME",
        help=f"new account names: the instructor, then the students ({' '.join(DEFAULT_USERS)})",
    )  # fmt: skip
    end = commands.add_parser("stop", help="stop the hub and remove what start created")
    for command in (begin, end):
        command.add_argument(
            "--dir", type=Path, default=DEFAULT_DIR, help="the hub's folder (default: build/hub)"
        )
    args = parser.parse_args()
    if args.command == "start" and len(args.users) < 2:
        parser.error("--users: an instructor and at least one student")
    check_root()
    if args.command == "start":
        start(args.dir.resolve(), args.users, args.port, args.python.absolute())
    else:
        stop(args.dir.resolve())


if __name__ == "__main__":
    main()
