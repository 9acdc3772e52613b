"""The instructor's tools live in instructor/, which students never meet in helpers/: helpers
never imports instructor (no circle), and every instructor module imports."""

import ast
import importlib
import pkgutil

import instructor
from course_tools import ROOT


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_helpers_never_import_instructor():
    for path in sorted((ROOT / "helpers").rglob("*.py")):
        wrong = [m for m in imported_modules(path) if m.split(".")[0] == "instructor"]
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}: helpers must not"


def test_no_instructor_code_left_in_helpers():
    assert not (ROOT / "helpers" / "grading").exists()
    for name in ("feedback", "website", "benchmark"):
        assert not (ROOT / "helpers" / f"{name}.py").exists(), name


def test_every_instructor_module_imports():
    for module in pkgutil.walk_packages(instructor.__path__, "instructor."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
