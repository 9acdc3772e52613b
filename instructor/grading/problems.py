"""What nbgrader handles silently or misleadingly, found in one student's submission and said in
words an instructor can act on."""

from __future__ import annotations

from pathlib import Path

import nbformat


def notebook_problems(
    folder: Path, notebook: str, grade_ids: list[str], kernel: str
) -> tuple[list[str], bool]:
    """Check the submitted folder before grading: the problems found, and whether nbgrader can
    grade it. A lone renamed notebook is renamed back to ``<notebook>.ipynb`` and graded."""
    path = folder / f"{notebook}.ipynb"
    if not path.exists():
        others = sorted(p.name for p in folder.glob("*.ipynb"))
        if len(others) == 1:
            (folder / others[0]).rename(path)
            found = [
                f"notebook renamed to '{others[0]}': graded as '{path.name}' (nbgrader alone "
                "says 'No notebooks found, did you forget to run generate_assignment?')"
            ]
        else:
            files = sorted(p.name for p in folder.iterdir() if p.name != "timestamp.txt")
            seen = ", ".join(files) if files else "nothing"
            return [
                f"no '{path.name}' submitted (found: {seen}): not graded; ask for the notebook"
            ], False
    else:
        found = []
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # NotJSONError, a validation error, a binary file
        kind = type(error).__name__
        return found + [
            f"'{path.name}' is not a notebook ({kind}): not graded; ask the student to save it "
            "in JupyterLab (File -> Save, or File -> Download) and submit it again"
        ], False
    asked = nb.metadata.get("kernelspec", {}).get("name")
    if asked and asked != kernel:
        found.append(f"the notebook asks for kernel '{asked}'; graded with the course's '{kernel}'")
    present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
    for grade_id in grade_ids:
        if grade_id not in present:
            found.append(
                f"grading cell '{grade_id}' was deleted: nbgrader leaves its grade empty (0 points) "
                "and flags it for manual grading; grade it by hand, or restore the cell from the "
                "release and grade again"
            )
    return found, True


def stderr_zeros(path: Path, scores: dict[str, float | None]) -> list[str]:
    """Graded cells that scored 0 only because they wrote to stderr (nbgrader counts any stderr
    output as a failure), in the autograded notebook at ``path``."""
    if not path.exists():
        return []
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        outputs = cell.get("outputs", [])
        if grade_id not in scores or scores[grade_id] != 0:
            continue
        errors = [o for o in outputs if o.output_type == "error"]
        stderr = [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
        if stderr and not errors:
            line = stderr[0].text.strip().splitlines()[0][:100] if stderr[0].text.strip() else ""
            found.append(
                f"cell '{grade_id}' scored 0 only because it wrote to stderr ('{line}'): its "
                "tests passed; consider a manual grade"
            )
    return found
