import os

import nbformat
from nbformat.v4 import new_code_cell

from course_tools import write_notebook
from instructor import benchmark


def notebook(tmp_path):
    cells = [
        new_code_cell("import os\nx = 6 * 7"),
        new_code_cell(
            "print('ratio', x, os.environ['COURSE_PROFILE'])", metadata={"tags": ["benchmark"]}
        ),
        new_code_cell("raise RuntimeError('after the benchmark part: never run')"),
    ]
    return write_notebook(tmp_path / "lab.ipynb", cells)


def test_benchmark_part_stops_after_the_last_tagged_cell(tmp_path):
    nb = nbformat.read(notebook(tmp_path), as_version=4)
    assert len(benchmark.benchmark_part(nb).cells) == 2
    nb.cells[1].metadata["tags"] = []
    assert benchmark.benchmark_part(nb) is None


def test_run_executes_the_part_and_returns_the_tagged_output(tmp_path):
    path = notebook(tmp_path)
    assert benchmark.run(path, profile="quick") == "ratio 42 quick\n"
    assert not nbformat.read(path, as_version=4).cells[1].outputs  # the file is left untouched
    assert os.environ.get("COURSE_BENCHMARK") is None  # later kernels run the lab as usual
