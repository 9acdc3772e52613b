"""Fixtures shared by the pipeline tests."""

import pytest

from course_tools import make_course


@pytest.fixture(scope="session")
def released_course(tmp_path_factory):
    """A course folder with every lab released by nbgrader into its gradebook (tests may add
    submissions; none changes what was released)."""
    return make_course(tmp_path_factory.mktemp("released"))
