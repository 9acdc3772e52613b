"""The full run's trained weights, so that a short run still shows every lesson.

A lab's demonstrations need well-trained models, and only the ``full`` profile trains them that
long. When the solutions are rendered (``python3 course.py render``, which sets
``COURSE_SAVE_WEIGHTS=1``), the full run saves each such model into ``data/weights/``: its weight
arrays (``model.get_weights()``, without the optimizer's state) as ``<name>.npz`` and a small
``<name>.json`` record (its parameter count, the shape of every weight array, and what the run
measured while training, e.g. its history), both listed in ``data/SHA256SUMS``. The arrays are
stored as float16 (half the size), and the full run goes on with those rounded weights, so it
measures the weights that ship and a short run that loads them prints the same numbers. In the
short profiles the lab builds the model with *your* code and loads those weights into it; a model
of another architecture stops with a clear message. The full profile loads nothing: it trains
everything.

    if pretrained.from_full_run(profile):
        record = pretrained.load(build_restorer((64, 64, 3)), "lab03_photos_noise")
    else:
        ...train it...
        pretrained.save(model, "lab03_photos_noise", history=history.history)
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

try:
    import fcntl
except ImportError:  # Windows: no lock (renders run there one at a time)
    fcntl = None

from helpers.data import DATA_DIR, RESTORE, DataError, data_checksums
from helpers.runtime import current_profile

WEIGHTS_DIR = DATA_DIR / "weights"
SAVE_VAR = "COURSE_SAVE_WEIGHTS"
LABEL = "[full run's weights]"


class WeightsError(DataError):
    """Saved weights are missing, damaged, or do not fit the model; the message says what to do."""


def from_full_run(profile) -> bool:
    """Whether the demonstrations use the full run's weights: in the short profiles only."""
    return not profile.full


def saving() -> bool:
    """Whether this run saves its models (``course.py render`` sets ``COURSE_SAVE_WEIGHTS=1``)."""
    return os.environ.get(SAVE_VAR) == "1"


def shapes(model) -> list[list[int]]:
    """The shape of every weight array of ``model``, in Keras' order."""
    return [list(w.shape) for w in model.weights]


def save(model, name: str, **record: Any) -> None:
    """Save ``model``'s weights (as float16) and a record of the run as ``data/weights/<name>.*``
    and list both in ``data/SHA256SUMS``, then give ``model`` the saved, rounded weights. Does
    nothing unless ``COURSE_SAVE_WEIGHTS=1``. Each file is written to a temporary name first, so an
    interrupted save leaves the old files whole."""
    if not saving():
        return
    WEIGHTS_DIR.mkdir(parents=True, exist_ok=True)
    facts = {
        "name": name,
        "model": model.name,
        "parameters": int(model.count_params()),
        "shapes": shapes(model),
        "stored": "float16",
        "profile": current_profile().name,
        **record,
    }
    weights, info = WEIGHTS_DIR / f"{name}.npz", WEIGHTS_DIR / f"{name}.json"
    partial = WEIGHTS_DIR / f"{name}.partial.npz"
    stored = [half(w) for w in model.get_weights()]
    np.savez_compressed(partial, *stored)
    partial.replace(weights)
    model.set_weights(stored)  # the run goes on with the weights that ship
    write_listed(info, json.dumps(_plain(facts), indent=1) + "\n", also=[weights])
    print(f"saved {name}: {facts['parameters']:,} parameters -> {show(weights)}")


def half(array: np.ndarray) -> np.ndarray:
    """``array`` as float16 if it holds floating-point numbers, else unchanged."""
    return array.astype(np.float16) if np.issubdtype(array.dtype, np.floating) else array


def load(model, name: str) -> dict[str, Any]:
    """Load the full run's weights ``name`` into ``model`` (built by your code; float16 and
    float32 files both work, each array takes the model's dtype) and return the run's record
    (e.g. ``record["history"]``). Raises ``WeightsError`` with what to do when the files are
    missing or damaged, or when the model's architecture differs from the full run's."""
    weights, info = WEIGHTS_DIR / f"{name}.npz", WEIGHTS_DIR / f"{name}.json"
    for file in (weights, info):
        check_file(file)
    facts = json.loads(info.read_text())
    mine = shapes(model)
    if mine != facts["shapes"]:
        raise WeightsError(
            f"The full run's weights '{name}' do not fit this model: the full run's "
            f"'{facts['model']}' has {facts['parameters']:,} parameters in "
            f"{len(facts['shapes'])} arrays, this '{model.name}' {model.count_params():,} in "
            f"{len(mine)} ({_first_difference(facts['shapes'], mine)}). Build the model exactly "
            "as the task says (its check cell names what differs), run that cell, then this one."
        )
    with np.load(weights) as arrays:
        model.set_weights([arrays[f"arr_{i}"] for i in range(len(arrays.files))])
    print(f"{LABEL} {name}: {facts['parameters']:,} parameters, trained by the full run")
    return facts


def _first_difference(theirs: list, mine: list) -> str:
    for i, (a, b) in enumerate(zip(theirs, mine, strict=False)):
        if a != b:
            return f"array {i + 1}: {tuple(a)} in the full run, {tuple(b)} here"
    return "the full run's model has more arrays" if len(theirs) > len(mine) else "yours has more"


def check_file(file: Path) -> None:
    """Stop with what to do when a file of the full run is missing or not as listed."""
    digest = data_checksums().get(file.relative_to(DATA_DIR).as_posix())
    if not file.is_file() or digest is None:
        raise WeightsError(f"{show(file)} is missing: {RESTORE}.")
    if hashlib.sha256(file.read_bytes()).hexdigest() != digest:
        raise WeightsError(f"{show(file)} is damaged (not as in data/SHA256SUMS): {RESTORE}.")


def write_listed(path: Path, text: str, also: list[Path] = ()) -> None:
    """Write ``text`` to ``path`` (through a temporary name, so it is never half-written) and
    list it, and the files ``also``, in data/SHA256SUMS. A lock keeps two renders that run at
    the same time from losing each other's lines."""
    _write(path, text)
    with open(DATA_DIR / "SHA256SUMS", "r+") as sums_file:
        if fcntl:
            fcntl.flock(sums_file, fcntl.LOCK_EX)  # released when the file closes
        sums = data_checksums()
        for file in [path, *also]:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
            sums[file.relative_to(DATA_DIR).as_posix()] = digest
        _write(DATA_DIR / "SHA256SUMS", "".join(f"{d}  {n}\n" for n, d in sorted(sums.items())))


def _write(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text)
    partial.replace(path)


def _plain(value: Any) -> Any:
    """JSON-ready copies of NumPy and Keras numbers (histories hold NumPy floats)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.generic, np.ndarray)):
        return np.asarray(value).tolist()
    return value


def show(path: Path) -> str:
    """``path`` as the reader sees it, from the repository root (e.g. data/weights/x.npz)."""
    return path.relative_to(DATA_DIR.parent).as_posix()
