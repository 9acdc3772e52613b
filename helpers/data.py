"""Offline-first loaders for Fashion-MNIST and MNIST.

Each loader looks for the data in this order and prints one line saying what it used:

1. an explicit ``path`` argument, or the environment variable ``FASHION_MNIST_DIR`` / ``MNIST_DIR``;
2. the Keras cache (``$KERAS_HOME/datasets`` or ``~/.keras/datasets``) and the system folder
   ``/usr/share/datasets/<name>`` (where Debian's ``dataset-fashion-mnist`` package puts it);
3. a download through ``keras.datasets`` when the profile is ``full`` and the network answers;
4. the embedded subset in the repository's ``data/`` folder (always there, checksummed).

Every file read is checked against a known sha256, so a truncated or corrupted file is reported
with what to do instead of producing silently wrong pictures.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import socket
import zlib
from pathlib import Path

import numpy as np

from helpers import runtime

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
IDX_FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
FASHION_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip

# sha256 of the *uncompressed* IDX contents of the full official sets: any gzip packaging of
# the same data matches, a truncated or altered file does not.
FULL_SHA256 = {
    "fashion-mnist": {
        "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    },
    "mnist": {
        "train-images-idx3-ubyte.gz": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "train-labels-idx1-ubyte.gz": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "t10k-images-idx3-ubyte.gz": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    },
}
# Keras' own mnist.npz (the file keras.datasets.mnist downloads), as Keras checks it.
KERAS_MNIST_NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
ENV_VARS = {"fashion-mnist": "FASHION_MNIST_DIR", "mnist": "MNIST_DIR"}
TITLES = {"fashion-mnist": "Fashion-MNIST", "mnist": "MNIST"}
DOWNLOAD_HOST = ("storage.googleapis.com", 443)  # where keras.datasets fetches both sets
SYSTEM_DATASETS = Path("/usr/share/datasets")  # Debian's dataset-* packages install here


class DataError(RuntimeError):
    """A data file is missing, truncated or corrupted; the message says what to do."""


Split = tuple[np.ndarray, np.ndarray]


def load_fashion_mnist(path: str | os.PathLike | None = None) -> tuple[Split, Split]:
    """Load Fashion-MNIST as ``(x_train, y_train), (x_test, y_test)``.

    ``x`` is float32 of shape (n, 28, 28) in [0, 1]; ``y`` is uint8 of shape (n,) with class ids
    0..9 (names in ``FASHION_CLASSES``). The full set has 60,000 / 10,000 images, the embedded
    subset 12,000 / 2,000. See the module docstring for where the data is looked for.
    """
    return _load("fashion-mnist", path)


def load_mnist(path: str | os.PathLike | None = None) -> tuple[Split, Split]:
    """Load MNIST digits as ``(x_train, y_train), (x_test, y_test)``; same layout as Fashion-MNIST."""
    return _load("mnist", path)


def read_idx(path: str | os.PathLike, expected_sha256: str | None = None) -> np.ndarray:
    """Read a gzipped IDX file (the MNIST format) into a uint8 array, checking its sha256.

    The checksum is that of the uncompressed bytes. Raises ``DataError`` when the file is
    unreadable, truncated or does not match.
    """
    path = Path(path)
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(_corrupt_message(path, f"cannot be decompressed ({err})")) from None
    if expected_sha256 and hashlib.sha256(raw).hexdigest() != expected_sha256:
        raise DataError(_corrupt_message(path, "does not match its known sha256 checksum"))
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    offset = 4 + 4 * ndim
    if raw[2] != 0x08 or len(raw) != offset + int(np.prod(shape)):
        raise DataError(_corrupt_message(path, "is not a complete uint8 IDX file"))
    return np.frombuffer(raw, np.uint8, offset=offset).reshape(shape).copy()


def embedded_checksums() -> dict[str, str]:
    """sha256 of every file in ``data/``, keyed by path relative to it (from ``data/SHA256SUMS``)."""
    lines = (DATA_DIR / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split(maxsplit=1) for line in lines if line)}


# --- search order -------------------------------------------------------------------------


def _load(name: str, path) -> tuple[Split, Split]:
    title, env_var = TITLES[name], ENV_VARS[name]
    explicit = path or os.environ.get(env_var)
    if explicit:
        found = _read_folder(Path(explicit).expanduser(), name)
        if found is None:
            raise DataError(
                f"{title}: no data at {explicit} (from {'the path argument' if path else env_var}). "
                f"Point it to a folder with the four IDX .gz files"
                f"{' or to mnist.npz' if name == 'mnist' else ''}, or unset it to use the built-in data."
            )
        return _report(title, found, f"{explicit}")
    for folder, label in _standard_folders(name):
        found = _read_folder(folder, name)
        if found is not None:
            return _report(title, found, f"{folder} ({label})")
    if runtime.current_profile().name == "full":
        found, why = _download(name)
        if found is not None:
            return _report(title, found, "downloaded with keras.datasets")
        print(f"{title}: {why}; using the embedded subset instead.")
    return _report(title, _read_embedded(name), "embedded subset in data/")


def _standard_folders(name: str) -> list[tuple[Path, str]]:
    keras_home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    cache = keras_home / "datasets"
    folders = [(cache / name, "Keras cache"), (SYSTEM_DATASETS / name, "system folder")]
    if name == "mnist":
        folders.insert(0, (cache / "mnist.npz", "Keras cache"))
    return folders


def _read_folder(path: Path, name: str) -> tuple[Split, Split] | None:
    """Read a full set from an IDX folder (or Keras' mnist.npz); None when nothing is there."""
    if path.is_file() and path.suffix == ".npz":
        return _read_keras_npz(path)
    if not all((path / f).is_file() for f in IDX_FILES.values()):
        return None
    known = FULL_SHA256[name]
    arrays = {key: read_idx(path / f, known[f]) for key, f in IDX_FILES.items()}
    return _as_splits(arrays)


def _read_keras_npz(path: Path) -> tuple[Split, Split]:
    if hashlib.sha256(path.read_bytes()).hexdigest() != KERAS_MNIST_NPZ_SHA256:
        raise DataError(_corrupt_message(path, "does not match Keras' checksum for mnist.npz"))
    with np.load(path) as d:
        arrays = {
            "train_images": d["x_train"], "train_labels": d["y_train"],
            "test_images": d["x_test"], "test_labels": d["y_test"],
        }  # fmt: skip
    return _as_splits(arrays)


def _read_embedded(name: str) -> tuple[Split, Split]:
    folder = DATA_DIR / name
    if not folder.is_dir():
        raise DataError(
            f"The embedded data folder {folder} is missing. Run the course from a full clone of "
            "the repository and install it with `pip install -e .` from the repository root."
        )
    sums = embedded_checksums()
    arrays = {}
    for key, f in IDX_FILES.items():
        file = folder / f
        if not file.is_file():
            raise DataError(_corrupt_message(file, "is missing"))
        if hashlib.sha256(file.read_bytes()).hexdigest() != sums[f"{name}/{f}"]:
            raise DataError(_corrupt_message(file, "does not match data/SHA256SUMS"))
        arrays[key] = read_idx(file)
    return _as_splits(arrays)


def _download(name: str) -> tuple[tuple[Split, Split] | None, str]:
    """Download through keras.datasets, but only after a quick check that the host answers."""
    try:
        socket.create_connection(DOWNLOAD_HOST, timeout=3).close()
    except OSError:
        return None, "no network (the download server did not answer within 3 s)"
    import keras

    dataset = keras.datasets.fashion_mnist if name == "fashion-mnist" else keras.datasets.mnist
    try:
        (x_train, y_train), (x_test, y_test) = dataset.load_data()
    except Exception as err:  # noqa: BLE001 - any download failure means: use the fallback
        return None, f"the download failed ({type(err).__name__}: {err})"
    arrays = {
        "train_images": x_train, "train_labels": y_train,
        "test_images": x_test, "test_labels": y_test,
    }  # fmt: skip
    return _as_splits(arrays), ""


def _as_splits(arrays: dict[str, np.ndarray]) -> tuple[Split, Split]:
    def images(a):
        return (np.asarray(a, np.float32) / 255.0).reshape(-1, 28, 28)

    train = images(arrays["train_images"]), np.asarray(arrays["train_labels"], np.uint8)
    test = images(arrays["test_images"]), np.asarray(arrays["test_labels"], np.uint8)
    return train, test


def _report(title: str, splits: tuple[Split, Split], source: str) -> tuple[Split, Split]:
    (x_train, _), (x_test, _) = splits
    print(f"{title}: {len(x_train):,} train / {len(x_test):,} test images from {source}")
    return splits


def _corrupt_message(path: Path, problem: str) -> str:
    if DATA_DIR in path.parents:
        fix = "Restore it with `git checkout -- data/` (or re-download the repository)."
    else:
        fix = "Delete it so that it is downloaded again, or set the path to a good copy."
    return f"{path} {problem}: the file is damaged or incomplete. {fix}"
