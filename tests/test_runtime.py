import pytest

from helpers import runtime


def test_default_is_full(monkeypatch):
    monkeypatch.delenv("COURSE_PROFILE", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert runtime.current_profile().name == "full"


def test_nbgrader_execution_means_grade(monkeypatch):
    monkeypatch.delenv("COURSE_PROFILE", raising=False)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    profile = runtime.current_profile()
    assert profile.name == "grade" and "nbgrader" in profile.reason


def test_explicit_profile_wins(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("COURSE_PROFILE", "Full")
    assert runtime.current_profile().name == "full"


def test_unknown_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(ValueError, match="use one of"):
        runtime.current_profile()


def test_pick_and_grade_defaults_to_quick():
    assert runtime.Profile("quick", "").pick(full=20, quick=3, grade=1) == 3
    assert runtime.Profile("full", "").pick(full=20, quick=3, grade=1) == 20
    assert runtime.Profile("grade", "").pick(full=20, quick=3, grade=1) == 1
    assert runtime.Profile("grade", "").pick(full=20, quick=3) == 3


def test_config_takes_one_row_per_setting():
    rows = dict(epochs=(20, 3, 1), demos=(True, True, False))
    assert runtime.Profile("full", "").config(**rows) == {"epochs": 20, "demos": True}
    assert runtime.Profile("grade", "").config(**rows) == {"epochs": 1, "demos": False}
    with pytest.raises(ValueError, match="one value per profile"):
        runtime.Profile("quick", "").config(epochs=(20, 3))


def test_short_profiles_say_what_their_results_are_worth():
    assert runtime.Profile("full", "").caveat == ""
    for name in ("quick", "grade"):
        caveat = runtime.Profile(name, "").caveat
        assert caveat.startswith(f"[{name} profile]") and "barely trained" in caveat
        assert '"full run"' in caveat and "profile full" in caveat


def test_setup_seeds_and_reports(capsys):
    import numpy as np

    runtime.setup(seed=3)
    first = np.random.rand()
    profile = runtime.setup(seed=3)
    assert np.random.rand() == first
    assert profile.name == "quick"
    out = capsys.readouterr().out
    assert "seed 3 | profile quick" in out and "barely trained" in out


def test_benchmarking_is_set_by_the_benchmark_command(monkeypatch):
    monkeypatch.delenv(runtime.BENCHMARK_VAR, raising=False)
    assert not runtime.benchmarking()
    monkeypatch.setenv(runtime.BENCHMARK_VAR, "1")
    assert runtime.benchmarking()


def test_an_unfinished_task_says_what_to_do(capsys):
    from IPython.testing.globalipapp import start_ipython

    shell = start_ipython()
    runtime.explain_unfinished_tasks()
    try:
        result = shell.run_cell("def task():\n    raise NotImplementedError()\n\ntask()")
    finally:
        shell.set_custom_exc((), None)
    out = capsys.readouterr()
    assert isinstance(result.error_in_exec, NotImplementedError)
    assert runtime.UNFINISHED in out.out and "Custom TB Handler failed" not in out.out + out.err
    assert "NotImplementedError" in out.out.split(runtime.UNFINISHED)[1]  # then the traceback
