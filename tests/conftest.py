"""Fixtures shared by the tests."""

import pytest

from course_tools import make_course


@pytest.fixture(scope="session")
def released_course(tmp_path_factory):
    """A course folder with every lab released by nbgrader into its gradebook (tests may add
    submissions; none changes what was released)."""
    return make_course(tmp_path_factory.mktemp("released"))


@pytest.fixture
def results_dir(tmp_path, monkeypatch):
    """An empty data folder that the record writes to while a render runs."""
    from helpers import data, pretrained, results  # imports TensorFlow: only where needed

    (tmp_path / "SHA256SUMS").write_text("")
    for module in (data, pretrained):
        monkeypatch.setattr(module, "DATA_DIR", tmp_path)
    monkeypatch.setattr(results, "RESULTS_DIR", tmp_path / "results")
    monkeypatch.setenv(pretrained.SAVE_VAR, "1")
    return tmp_path / "results"
