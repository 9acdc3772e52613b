#!/usr/bin/env python3
"""One entry point for the course; needs only Python 3.10-3.12.

    python3 course.py lab         set up .venv (first time) and open the labs in JupyterLab
    python3 course.py solutions   the same for the complete notebooks in solutions/ (self-study)
    python3 course.py test        set up .venv (first time) and run the whole test suite
    python3 course.py setup       only create or update .venv
    python3 course.py release     regenerate labs/ from solutions/ and record them in gradebook.db
    python3 course.py collect     put returned notebooks into submitted/ (collect 04 downloads/)
    python3 course.py grade       autograde labs' submissions in parallel, bounded (grade 04)
    python3 course.py report      a class report per lab: tasks, failures, near-copies (report 04)
    python3 course.py render      re-run the solutions top to bottom, full profile, saving outputs
                                  and the trained weights that short runs load (data/weights/)
    python3 course.py results     RESULTS.md, the README's lab table and picture, from the records
                                  that the full runs wrote (data/results/)
    python3 course.py bench       re-measure the labs' speed claims (time-to-target ratios)
    python3 course.py margins     run solutions as the grader does, 5 seeds x 1 and 2 threads (margins 03)
    python3 course.py site        build the course website (build/site/html) from the solutions
    python3 course.py hub         the course on a JupyterHub on 127.0.0.1, for a try (as root):
                                  hub start creates the class's accounts, hub stop removes them
    python3 course.py help        this text

Extra arguments go to JupyterLab (lab, solutions), pytest (test) or pick labs (render 02).
Every command after `setup` runs inside the course's environment, so nbgrader, jupyter and
pytest (and nbgrader's `alembic`) are found there. Set COURSE_PROFILE=quick for a fast run.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import sysconfig
import venv
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed"


def course_installed() -> bool:
    """Whether the course (its name in pyproject.toml) is installed in the running Python's
    site-packages; the repository's own egg-info, found next to this script, does not count."""
    site = [sysconfig.get_path("purelib"), sysconfig.get_path("platlib")]
    return any(metadata.distributions(name="autoencoder-course-helpers", path=site))


# The commands run in .venv, which setup() creates and keeps up to date, unless the Python running
# this script is another environment that has the course installed (an activated conda environment
# from environment.yml, or the test suite's copy of the course): then they run there, as it is.
OWN_VENV = Path(sys.prefix).resolve() == VENV.resolve() or not course_installed()
if OWN_VENV:
    BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
    PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
else:
    BIN = Path(sysconfig.get_path("scripts"))
    PYTHON = Path(sys.executable)


def environment(**env: str) -> dict[str, str]:
    return {**os.environ, **env, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def run(*args: str | Path, **env: str) -> None:
    """Run a command from the repository root in the environment; exit on failure."""
    code = subprocess.call([str(a) for a in args], cwd=ROOT, env=environment(**env))
    if code:
        sys.exit(code)


def start(*args: str | Path) -> None:
    """Become the command, from the repository root. On POSIX this process is replaced (exec), so
    a signal sent to it (Ctrl+C, `kill`, an IDE's stop button) reaches JupyterLab or pytest."""
    argv = [str(a) for a in args]
    os.chdir(ROOT)
    if os.name == "nt":
        sys.exit(subprocess.call(argv, env=environment()))
    sys.stdout.flush()
    os.execve(argv[0], argv, environment())


def setup() -> None:
    """Create .venv and install the course (editable, with test tools) when pyproject changed."""
    if not (3, 10) <= sys.version_info[:2] <= (3, 12):
        sys.exit(
            f"Python {sys.version.split()[0]} found; TensorFlow needs Python 3.10-3.12 (3.11 recommended)."
        )
    if not OWN_VENV:
        return
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        print(f"Creating the virtual environment {VENV} ...")
        venv.create(VENV, with_pip=True)
    print("Installing the course and its dependencies (a few minutes the first time) ...")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(wanted)


def jupyter_lab(folder: str) -> None:
    """JupyterLab with ``folder`` as its root (its file browser cannot leave it)."""
    args = [f"--ServerApp.root_dir={folder}", *sys.argv[2:]]
    if getattr(os, "geteuid", lambda: -1)() == 0 and "--allow-root" not in args:
        print("Running as root (a container?): starting JupyterLab with --allow-root.")
        args.append("--allow-root")
    start(BIN / "jupyter", "lab", *args)


def lab_ids() -> list[str]:
    return sorted(
        p.name for p in (ROOT / "solutions").iterdir() if (p / f"{p.name}.ipynb").is_file()
    )


def release() -> None:
    """Regenerate labs/<id>/ from solutions/<id>/ for every lab and record it in gradebook.db,
    where `nbgrader autograde` looks up the assignment and its original test cells."""
    for lab in lab_ids():
        run(BIN / "nbgrader", "generate_assignment", lab, "--force", "--log-level=WARN")
        print(f"labs/{lab}/{lab}.ipynb regenerated")


def chosen_labs() -> list[str]:
    """The labs named on the command line by a prefix (e.g. `02`), or all of them."""
    wanted = sys.argv[2:]
    labs = [lab for lab in lab_ids() if not wanted or any(lab.startswith(w) for w in wanted)]
    if not labs:
        sys.exit(f"No lab matches {' '.join(wanted)}; the labs are: {', '.join(lab_ids())}.")
    return labs


def lab_arguments(many: bool = False) -> list[str]:
    """The command line with its first argument (``many``: all before the options), a lab's prefix
    such as `04`, made the lab's name."""
    args = sys.argv[2:]
    for i, arg in enumerate(args if many else args[:1]):
        if arg.startswith("-"):
            break
        matches = [lab for lab in lab_ids() if lab.startswith(arg)]
        if len(matches) == 1:
            args[i] = matches[0]
    return args


def render() -> None:
    """Execute solution notebooks in a fresh kernel (full profile) and save their outputs, and
    the weights of the models that the short profiles load, into data/weights/."""
    for lab in chosen_labs():
        notebook = ROOT / "solutions" / lab / f"{lab}.ipynb"
        print(f"Rendering {notebook.relative_to(ROOT)} ...")
        run(
            BIN / "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
            "--ExecutePreprocessor.timeout=900", notebook,
            COURSE_PROFILE=os.environ.get("COURSE_PROFILE", "full"),
            COURSE_SAVE_WEIGHTS="1",  # the full run's models -> data/weights/ (helpers/pretrained.py)
        )  # fmt: skip


COMMANDS = {
    "setup": lambda: print(f"Ready: the commands run in {VENV if OWN_VENV else sys.prefix}."),
    "lab": lambda: jupyter_lab("labs"),
    "solutions": lambda: jupyter_lab("solutions"),
    "test": lambda: start(PYTHON, "-m", "pytest", *sys.argv[2:]),
    "release": release,
    "collect": lambda: start(PYTHON, "-m", "instructor.grading.collect", *lab_arguments()),
    "grade": lambda: start(PYTHON, "-m", "instructor.grading", *lab_arguments(many=True)),
    "report": lambda: start(PYTHON, "-m", "instructor.report", *lab_arguments(many=True)),
    "render": render,
    "results": lambda: start(PYTHON, "-m", "instructor.results_page", *sys.argv[2:]),
    "bench": lambda: start(PYTHON, "-m", "instructor.benchmark", *chosen_labs()),
    "margins": lambda: start(PYTHON, "-m", "instructor.grading.margins", *lab_arguments(many=True)),
    "site": lambda: start(PYTHON, "-m", "instructor.website", *sys.argv[2:]),
    "hub": lambda: start(PYTHON, "-m", "hub", *sys.argv[2:]),
}

if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command in ("help", "-h", "--help"):
        print(__doc__)
        sys.exit(0)
    if command not in COMMANDS:
        sys.exit(__doc__)  # an unknown or missing command: the usage on stderr, exit status 1
    setup()
    COMMANDS[command]()
