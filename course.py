#!/usr/bin/env python3
"""One entry point for the course; needs only Python 3.10-3.12.

    python3 course.py lab        set up .venv (first time) and open the labs in JupyterLab
    python3 course.py test       set up .venv (first time) and run the whole test suite
    python3 course.py release    regenerate labs/ from solutions/ with nbgrader (authors)
    python3 course.py render     re-run the solutions top to bottom, full profile, saving outputs
    python3 course.py bench      re-measure the labs' speed claims (time-to-target ratios)
    python3 course.py setup      only create or update .venv

Every command after `setup` runs inside the virtual environment, so nbgrader, jupyter and
pytest (and nbgrader's `alembic`) are found there. Set COURSE_PROFILE=quick for a fast run.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def run(*args: str | Path, **env: str) -> None:
    """Run a command from the repository root with the venv first on PATH; exit on failure."""
    full_env = {**os.environ, **env, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    code = subprocess.call([str(a) for a in args], cwd=ROOT, env=full_env)
    if code:
        sys.exit(code)


def setup() -> None:
    """Create .venv and install the course (editable, with test tools) when pyproject changed."""
    if not (3, 10) <= sys.version_info[:2] <= (3, 12):
        sys.exit(
            f"Python {sys.version.split()[0]} found; TensorFlow needs Python 3.10-3.12 (3.11 recommended)."
        )
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


def lab_ids() -> list[str]:
    return sorted(
        p.name for p in (ROOT / "solutions").iterdir() if (p / f"{p.name}.ipynb").is_file()
    )


def release() -> None:
    """Regenerate labs/<id>/ from solutions/<id>/ for every lab."""
    for lab in lab_ids():
        run(BIN / "nbgrader", "generate_assignment", lab, "--force", "--no-db", "--log-level=WARN")
        print(f"labs/{lab}/{lab}.ipynb regenerated")


def chosen_labs() -> list[str]:
    """The labs named on the command line by a prefix (e.g. `02`), or all of them."""
    wanted = sys.argv[2:]
    labs = [lab for lab in lab_ids() if not wanted or any(lab.startswith(w) for w in wanted)]
    if not labs:
        sys.exit(f"No lab matches {' '.join(wanted)}; the labs are: {', '.join(lab_ids())}.")
    return labs


def render() -> None:
    """Execute solution notebooks in a fresh kernel (full profile) and save their outputs."""
    for lab in chosen_labs():
        notebook = ROOT / "solutions" / lab / f"{lab}.ipynb"
        print(f"Rendering {notebook.relative_to(ROOT)} ...")
        run(
            BIN / "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
            "--ExecutePreprocessor.timeout=900", notebook,
            COURSE_PROFILE=os.environ.get("COURSE_PROFILE", "full"),
        )  # fmt: skip


COMMANDS = {
    "setup": lambda: None,
    "lab": lambda: run(BIN / "jupyter", "lab", "--ServerApp.root_dir=labs", *sys.argv[2:]),
    "test": lambda: run(PYTHON, "-m", "pytest", *sys.argv[2:]),
    "release": release,
    "render": render,
    "bench": lambda: run(PYTHON, "-m", "helpers.benchmark", *chosen_labs()),
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    setup()
    COMMANDS[sys.argv[1]]()
