"""The class on the hub: Unix accounts, nbgrader's exchange, the Jupyter configuration per role
and the instructor's course folder. Everything here runs as root.

The hub's folder (``build/hub`` by default) holds:

- ``exchange/``: nbgrader's exchange, writable by all with the sticky bit (mode 1777);
- ``etc/jupyter/``: the configuration of every account (in production ``/etc/jupyter``): the
  course id and the exchange's place;
- ``etc/students/``: what students get on top: nbgrader's Assignment List only;
- ``private/`` (root only): ``class.json`` (settings, accounts, passwords, pids), the hub's
  database, cookie secret, pid files and log.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_ID = "autoencoders"  # as c.CourseDirectory.course_id in nbgrader_config.py
COURSE_FOLDER = "autoencoders"  # the instructor's course folder, in their home
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
# nbgrader's table of extensions per role: students get the Assignment List (and Validate) only.
STUDENT_LAB_OFF = ("formgrader", "create-assignment", "course-list")
STUDENT_SERVER_OFF = ("formgrader", "course_list")

GLOBAL_NBGRADER_CONFIG = '''\
"""nbgrader for every account on the hub (in production: /etc/jupyter/nbgrader_config.py)."""

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "{course_id}"
c.Exchange.root = "{exchange}"
'''
INSTRUCTOR_NBGRADER_CONFIG = '''\
"""The instructor's nbgrader: the course folder's configuration, wherever nbgrader runs (formgrader
runs in the home folder, where the course's relative gradebook path would point elsewhere)."""

c = get_config()  # noqa: F821
load_subconfig("{course}/nbgrader_config.py")  # noqa: F821
c.CourseDirectory.db_url = "sqlite:///{course}/gradebook.db"
'''


ENVIRONMENT_HOWTO = (
    "Make the class's environment from a Python that every account can read, e.g. "
    "`/usr/bin/python3 -m venv /opt/autoencoders-env && /opt/autoencoders-env/bin/pip install "
    "-e '<this repository>[hub]'`, and pass it: `hub start --python /opt/autoencoders-env/bin/python`"
)


class ClassroomError(Exception):
    """A step that failed, said in words (the command prints it and exits)."""


def run(*args: str, stdin: str | None = None) -> None:
    """Run a system command; raise ClassroomError with its message when it fails."""
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, check=False)
    if done.returncode:
        raise ClassroomError(f"{' '.join(args)} failed: {(done.stderr or done.stdout).strip()}")


def environment_problem(python: Path, user: str) -> str | None:
    """Why ``user`` cannot run the course's environment of ``python`` as root runs it, or None.
    A virtual environment made from a Python in root's home (pyenv, say) is one: other accounts
    cannot read its base, and their ``python`` falls back to the system's, another version."""
    probe = (  # found, not imported (that takes seconds); helpers.data reads data/ beside it
        "import sys, pathlib, importlib.util as u; print(sys.version, sys.base_prefix); "
        "assert u.find_spec('nbgrader') and u.find_spec('jupyterhub'), 'nbgrader or JupyterHub "
        "missing'; pathlib.Path(u.find_spec('helpers').origin).parents[1].joinpath('data', "
        "'SHA256SUMS').read_bytes()"
    )
    runs = {}
    for who in ("root", user):
        account = pwd.getpwnam(who)
        runs[who] = subprocess.run(
            [str(python), "-c", probe], cwd="/", env={"PATH": SYSTEM_PATH, "LANG": "C.UTF-8"},
            user=account.pw_uid, group=account.pw_gid, extra_groups=[], capture_output=True,
            text=True, timeout=120, check=False,
        )  # fmt: skip
        if runs[who].returncode:
            return f"{who} cannot run the course's environment {python}: {runs[who].stderr[-600:]}"
    if runs[user].stdout != runs["root"].stdout:
        return (
            f"account {user} gets another Python from {python} than root does "
            f"({runs[user].stdout.split()[0]}, not {runs['root'].stdout.split()[0]}): the "
            f"environment is made from {runs['root'].stdout.split()[-1]}, which other accounts "
            f"cannot read. {ENVIRONMENT_HOWTO}"
        )
    return None


def account_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@dataclass
class Classroom:
    folder: Path
    instructor: str
    students: list[str]
    python: Path  # the course's environment for everybody: JupyterLab, nbgrader, the kernel
    passwords: dict[str, str] = field(default_factory=dict)  # of the accounts created
    settings: dict = field(default_factory=dict)  # the hub's addresses and pid (processes.py)

    @property
    def bin(self) -> Path:
        return self.python.parent

    @property
    def users(self) -> list[str]:
        return [self.instructor, *self.students]

    @property
    def exchange(self) -> Path:
        return self.folder / "exchange"

    @property
    def private(self) -> Path:
        return self.folder / "private"

    def config_path(self, user: str) -> list[Path]:
        """The Jupyter configuration folders of ``user``, first wins (JUPYTER_CONFIG_PATH)."""
        common = self.folder / "etc" / "jupyter"
        return [common] if user == self.instructor else [self.folder / "etc" / "students", common]

    def environment(self, user: str) -> dict[str, str]:
        """What the user's JupyterLab (and so its kernels and terminals) gets on top of the hub's
        defaults: the course's environment first on PATH, the configuration of the user's role."""
        return {
            "PATH": f"{self.bin}{os.pathsep}{SYSTEM_PATH}",
            "JUPYTER_CONFIG_PATH": os.pathsep.join(str(p) for p in self.config_path(user)),
        }

    def home(self, user: str) -> Path:
        return Path(pwd.getpwnam(user).pw_dir)

    def course(self) -> Path:
        return self.home(self.instructor) / COURSE_FOLDER

    def create_accounts(self) -> None:
        """A Unix account per user, with a random password (the hub's login checks it through PAM)
        and a home that only its owner can read: classmates cannot read each other's work."""
        taken = [name for name in self.users if account_exists(name)]
        if taken:
            raise ClassroomError(
                f"account {', '.join(taken)} exists already: choose other names (--users)"
            )
        for name in self.users:
            run("useradd", "--create-home", "--user-group", "--shell", "/bin/bash", name)
            self.passwords[name] = secrets.token_urlsafe(12)
            run("chpasswd", stdin=f"{name}:{self.passwords[name]}\n")
            self.home(name).chmod(0o700)
            self.save()  # `stop` removes what exists

    def remove_accounts(self) -> list[str]:
        """Remove the accounts this class created, with their homes; return the problems."""
        problems = []
        for name in self.passwords:
            if account_exists(name):
                done = subprocess.run(
                    ["userdel", "--remove", name], capture_output=True, text=True, check=False
                )
                if account_exists(name):
                    problems.append(f"userdel {name}: {done.stderr.strip()}")
        return problems

    def write_configuration(self) -> None:
        """The exchange and the Jupyter configuration of both roles."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o755)
        self.private.mkdir(mode=0o700, exist_ok=True)
        # nbgrader: "writable by all users" (ugo+rw); the sticky bit, as on /tmp, keeps a student
        # from renaming or deleting the course's folder in it, or anybody's submission
        self.exchange.mkdir(exist_ok=True)
        self.exchange.chmod(0o1777)
        common, students = self.folder / "etc" / "jupyter", self.folder / "etc" / "students"
        common.mkdir(parents=True, exist_ok=True)
        (common / "nbgrader_config.py").write_text(
            GLOBAL_NBGRADER_CONFIG.format(course_id=COURSE_ID, exchange=self.exchange)
        )
        (students / "labconfig").mkdir(parents=True, exist_ok=True)
        lab_off = {f"@jupyter/nbgrader:{name}": True for name in STUDENT_LAB_OFF}
        (students / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": lab_off}, indent=1)
        )
        server_off = {f"nbgrader.server_extensions.{name}": False for name in STUDENT_SERVER_OFF}
        (students / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": server_off}}, indent=1)
        )
        for path in self.folder.glob("etc/**/*"):
            path.chmod(0o755 if path.is_dir() else 0o644)

    def prepare_course(self) -> None:
        """The instructor's course folder (course.py, nbgrader_config.py and solutions/, as in
        the repository) and their ~/.jupyter/nbgrader_config.py that points nbgrader to it."""
        course, jupyter = self.course(), self.home(self.instructor) / ".jupyter"
        shutil.copytree(ROOT / "solutions", course / "solutions")
        for name in ("course.py", "nbgrader_config.py"):
            shutil.copy(ROOT / name, course)
        jupyter.mkdir()
        (jupyter / "nbgrader_config.py").write_text(
            INSTRUCTOR_NBGRADER_CONFIG.format(course=course)
        )
        owner = pwd.getpwnam(self.instructor)
        for top in (course, jupyter):
            for path in [top, *top.rglob("*")]:
                os.chown(path, owner.pw_uid, owner.pw_gid)

    def run_as(self, user: str, *args: str | Path, cwd: Path | None = None, timeout: float = 600):
        """Run a command as ``user`` in their home (or ``cwd``), with their hub environment, as
        in a terminal of their JupyterLab."""
        account = pwd.getpwnam(user)
        env = {
            **self.environment(user), "HOME": account.pw_dir, "USER": user, "LOGNAME": user,
            "SHELL": account.pw_shell, "LANG": "C.UTF-8",
        }  # fmt: skip
        return subprocess.run(
            [str(a) for a in args], cwd=cwd or account.pw_dir, env=env, user=account.pw_uid,
            group=account.pw_gid, extra_groups=[], capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip

    def save(self) -> Path:
        """class.json in the private folder: everything `stop` and the hub's configuration read."""
        path = self.private / "class.json"
        state = {
            "instructor": self.instructor, "students": self.students, "python": str(self.python),
            "passwords": self.passwords, "exchange": str(self.exchange),
            "environment": {user: self.environment(user) for user in self.users},
            **self.settings,
        }  # fmt: skip
        path.write_text(json.dumps(state, indent=1))
        path.chmod(0o600)
        return path

    @classmethod
    def load(cls, folder: Path) -> Classroom:
        state = json.loads((folder / "private" / "class.json").read_text())
        return cls(
            folder, state["instructor"], state["students"], Path(state["python"]),
            state["passwords"], state,
        )  # fmt: skip
