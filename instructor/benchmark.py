"""Re-measure the speed claims of the labs: ``python3 course.py bench [lab ...]``.

A lab marks the cells that time its recipes with the cell tag ``benchmark`` (e.g. one epoch of the
reference recipe, then the time-to-target of the lab's recipe and their ratio). This module runs
the lab's solution notebook in a fresh kernel, in the full profile, from the top down to its last
tagged cell, and prints what the tagged cells print. Nothing is written back to the notebook.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

TAG = "benchmark"
SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"


def benchmark_part(nb: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """The notebook cut after its last ``benchmark``-tagged cell, or ``None`` if none is tagged."""
    tagged = [i for i, cell in enumerate(nb.cells) if TAG in cell.metadata.get("tags", [])]
    if not tagged:
        return None
    part = nbformat.from_dict(nb)
    part.cells = part.cells[: tagged[-1] + 1]
    return part


def tagged_output(nb: nbformat.NotebookNode) -> str:
    """The text that the tagged cells wrote to stdout."""
    return "".join(
        out.get("text", "")
        for cell in nb.cells
        if TAG in cell.metadata.get("tags", [])
        for out in cell.get("outputs", [])
        if out.get("name") == "stdout"
    )


def run(path: Path, profile: str = "full", timeout: int = 1800) -> str:
    """Execute the benchmark part of the notebook at ``path`` and return its tagged output.

    The kernel runs with ``COURSE_BENCHMARK=1`` (``runtime.benchmarking()``), so a lab may add
    measurements longer than its own run.
    """
    part = benchmark_part(nbformat.read(path, as_version=4))
    if part is None:
        raise ValueError(f"{path.name} has no cell tagged {TAG!r}: nothing to benchmark.")
    saved = {name: os.environ.get(name) for name in ("COURSE_PROFILE", "COURSE_BENCHMARK")}
    os.environ.update(COURSE_PROFILE=profile, COURSE_BENCHMARK="1")  # the kernel inherits them
    try:
        NotebookClient(
            part, timeout=timeout, resources={"metadata": {"path": str(path.parent)}}
        ).execute()
    finally:  # later kernels of this process (a test run's notebooks) must not benchmark
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return tagged_output(part)


def main(labs: list[str]) -> None:
    """Benchmark the given lab ids (``course.py bench`` passes all labs when none are named)."""
    if not labs:
        sys.exit("Give lab ids such as 02_conv_autoencoder, or run `python3 course.py bench`.")
    for lab in labs:
        path = SOLUTIONS / lab / f"{lab}.ipynb"
        if not path.is_file():
            sys.exit(f"{path} not found: give lab ids such as 02_conv_autoencoder.")
        if benchmark_part(nbformat.read(path, as_version=4)) is None:
            print(f"{lab}: no benchmark cells, skipped")
            continue
        print(f"{lab}: running the benchmark cells (full profile, a few minutes) ...", flush=True)
        print(run(path, os.environ.get("COURSE_PROFILE", "full")))


if __name__ == "__main__":
    main(sys.argv[1:])
