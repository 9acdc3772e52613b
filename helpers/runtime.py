"""Run profiles, seeding and a quiet TensorFlow.

Three profiles run the same notebook code:

- ``full`` (default): the real course run, on all the data, to the lab's quality target;
- ``quick``: a student's fast try (``COURSE_PROFILE=quick``): a few thousand images and a few
  epochs, under a minute per lab. The student's models train briefly; the demonstrations load the
  full run's saved weights (``helpers.pretrained``), so every lesson still shows;
- ``grade``: chosen automatically when nbgrader executes a notebook (nbgrader sets
  ``NBGRADER_EXECUTION`` during autograde and validate), or with ``COURSE_PROFILE=grade``: the
  smallest run, so one submission is graded in seconds. The graded tests need no long training.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from dataclasses import dataclass
from typing import Any

PROFILE_VAR = "COURSE_PROFILE"
BENCHMARK_VAR = "COURSE_BENCHMARK"
SEED_VAR, THREADS_VAR = "COURSE_SEED", "COURSE_THREADS"  # `course.py margins` varies both
PROFILES = ("full", "quick", "grade")


@dataclass(frozen=True)
class Profile:
    """The active run profile: its name and why it was chosen."""

    name: str
    reason: str
    seed: int = 0

    @property
    def full(self) -> bool:
        return self.name == "full"

    def pick(self, full: Any, quick: Any, grade: Any = None) -> Any:
        """The value for this profile, e.g. ``profile.pick(full=20, quick=3, grade=1)``.

        ``grade`` defaults to ``quick``.
        """
        if self.name == "grade" and grade is not None:
            return grade
        return full if self.full else quick

    def config(self, **rows: tuple[Any, Any, Any]) -> dict[str, Any]:
        """A lab's settings, one per line, each as ``(full, quick, grade)``: the dict of this
        profile's values, e.g. ``profile.config(epochs=(20, 3, 1), demos=(True, True, False))``."""
        column = PROFILES.index(self.name)
        for key, values in rows.items():
            if not (isinstance(values, tuple) and len(values) == len(PROFILES)):
                raise ValueError(f"{key}: give one value per profile {PROFILES}, got {values!r}")
        return {key: values[column] for key, values in rows.items()}

    @property
    def caveat(self) -> str:
        """One sentence for short profiles (empty in ``full``): what their results are worth."""
        if self.full:
            return ""
        return (
            f"[{self.name} profile] small data, few epochs: the models this run trains are barely "
            "trained, so their numbers and pictures are not the full run's. Lines that say "
            '"full run" come from the committed full run. For the real run, start Jupyter '
            f"without {PROFILE_VAR} (profile full)."
        )


def current_profile() -> Profile:
    """Read the profile from the environment (see the module docstring)."""
    chosen = os.environ.get(PROFILE_VAR, "").strip().lower()
    if chosen and chosen not in PROFILES:
        raise ValueError(f"{PROFILE_VAR}={chosen!r} is not a profile: use one of {PROFILES}.")
    if chosen:
        return Profile(chosen, f"{PROFILE_VAR}={chosen}")
    if os.environ.get("NBGRADER_EXECUTION"):
        return Profile("grade", "nbgrader is executing this notebook")
    return Profile("full", "default")


def benchmarking() -> bool:
    """True while ``python3 course.py bench`` runs the notebook: cells may then run longer
    measurements that the lab's own run skips."""
    return os.environ.get(BENCHMARK_VAR) == "1"


def quiet_tensorflow() -> None:
    """Import TensorFlow without its start-up chatter on stderr, and keep it quiet afterwards.

    Must run before TensorFlow is imported; ``import helpers`` calls it. Some builds log from C++
    before any setting applies ("All log messages before absl::InitializeLog() ..."), so the
    import runs with the process's stderr pointed to the null device. nbgrader scores a graded
    test cell 0 when it writes anything to stderr, even if all its asserts pass.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    warnings.filterwarnings("ignore", category=UserWarning, module="keras")
    for name in ("tensorflow", "absl", "h5py"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if "tensorflow" in sys.modules:
        return
    sys.stderr.flush()
    saved, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


UNFINISHED = (
    "Not done yet: this cell calls a task whose code still says `raise NotImplementedError()`. "
    "Write your answer in that task's cell in place of the line (under `# YOUR CODE HERE`), run "
    "that cell, then this one."
)


def explain_unfinished_tasks() -> None:
    """In a notebook, say what to do above the traceback when a task is not done yet (the
    release's stub raises ``NotImplementedError``)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return

    def explain(shell, etype, value, tb, tb_offset=None):
        print(UNFINISHED)
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)  # the error, as usual

    shell.set_custom_exc((NotImplementedError,), explain)


def setup(seed: int = 0) -> Profile:
    """Seed Python, NumPy and Keras, pick the profile and print one line about the run.

    Returns the ``Profile``; use ``profile.pick(full=..., quick=..., grade=...)`` for sizes and
    epochs, and ``profile.seed`` where a cell seeds a model again. In a short profile a second line
    says what its results are worth. ``COURSE_SEED`` and ``COURSE_THREADS`` (TensorFlow's thread
    counts) override the seed and the threads, for ``course.py margins``.
    """
    quiet_tensorflow()
    import keras
    import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)
    seed = int(os.environ.get(SEED_VAR, seed))
    threads = int(os.environ.get(THREADS_VAR, 0))
    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    keras.utils.set_random_seed(seed)
    explain_unfinished_tasks()
    chosen = current_profile()
    profile = Profile(chosen.name, chosen.reason, seed)
    devices = ", ".join(d.device_type for d in tf.config.list_logical_devices()) or "CPU"
    print(
        f"seed {seed}{f' | {threads} threads' if threads else ''} | profile {profile.name} "
        f"({profile.reason}) | Keras {keras.__version__} | TensorFlow {tf.__version__} "
        f"| devices: {devices}"
    )
    if profile.caveat:
        print(profile.caveat)
    return profile
