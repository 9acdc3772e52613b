"""Run profiles, seeding and a quiet TensorFlow.

Two profiles run the same notebook code:

- ``full`` (default): the real course run, on all the data, to the lab's quality target;
- ``quick``: a small slice and one or two epochs, for tests and autograding. It is chosen by
  ``COURSE_PROFILE=quick`` and automatically when nbgrader executes a notebook
  (nbgrader sets ``NBGRADER_EXECUTION`` during autograde and validate).
"""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from typing import Any

PROFILE_VAR = "COURSE_PROFILE"
PROFILES = ("full", "quick")


@dataclass(frozen=True)
class Profile:
    """The active run profile: its name and why it was chosen."""

    name: str
    reason: str

    @property
    def quick(self) -> bool:
        return self.name == "quick"

    def pick(self, full: Any, quick: Any) -> Any:
        """Return ``full`` or ``quick`` for this profile, e.g. ``profile.pick(full=20, quick=1)``."""
        return quick if self.quick else full


def current_profile() -> Profile:
    """Read the profile from the environment (see the module docstring)."""
    chosen = os.environ.get(PROFILE_VAR, "").strip().lower()
    if chosen and chosen not in PROFILES:
        raise ValueError(f"{PROFILE_VAR}={chosen!r} is not a profile: use one of {PROFILES}.")
    if chosen:
        return Profile(chosen, f"{PROFILE_VAR}={chosen}")
    if os.environ.get("NBGRADER_EXECUTION"):
        return Profile("quick", "nbgrader is executing this notebook")
    return Profile("full", "default")


def quiet_tensorflow() -> None:
    """Silence TensorFlow's start-up and retracing chatter on stderr.

    Must run before TensorFlow is imported; ``import helpers`` calls it. nbgrader scores a graded
    test cell 0 when it writes anything to stderr, even if all its asserts pass.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    warnings.filterwarnings("ignore", category=UserWarning, module="keras")
    for name in ("tensorflow", "absl", "h5py"):
        logging.getLogger(name).setLevel(logging.ERROR)


def setup(seed: int = 0) -> Profile:
    """Seed Python, NumPy and Keras, pick the profile and print one line about the run.

    Returns the ``Profile``; use ``profile.pick(full=..., quick=...)`` for sizes and epochs.
    """
    quiet_tensorflow()
    import keras
    import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)
    keras.utils.set_random_seed(seed)
    profile = current_profile()
    devices = ", ".join(d.device_type for d in tf.config.list_logical_devices()) or "CPU"
    print(
        f"seed {seed} | profile {profile.name} ({profile.reason}) | Keras {keras.__version__} "
        f"| TensorFlow {tf.__version__} | devices: {devices}"
    )
    return profile
