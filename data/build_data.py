"""Rebuild the embedded subsets in data/ from the full IDX files.

    python data/build_data.py FASHION_MNIST_DIR MNIST_DIR

Each folder holds the four official IDX .gz files (the layout Keras downloads). For each set,
a class-balanced, seeded sample (1,200 train + 200 test images per class) is written in the
same IDX format, gzip level 9 with a fixed timestamp, so a rebuild gives identical bytes.
Finally data/SHA256SUMS is rewritten.
"""

import gzip
import hashlib
import sys
from pathlib import Path

import numpy as np

from helpers.data import DATA_DIR, FULL_SHA256, IDX_FILES, read_idx

PER_CLASS = {"train": 1200, "test": 200}
SEED = 2026


def write_idx(path: Path, array: np.ndarray) -> None:
    """Write a uint8 array as a gzipped IDX file with a fixed timestamp."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(n.to_bytes(4, "big") for n in array.shape)
    with open(path, "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as f:
        f.write(header + array.astype(np.uint8).tobytes())


def balanced_sample(labels: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``per_class`` random images of every class, in their original order."""
    picks = [rng.choice(np.flatnonzero(labels == c), per_class, replace=False) for c in range(10)]
    return np.sort(np.concatenate(picks))


def build(name: str, source: Path) -> None:
    out = DATA_DIR / name
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = read_idx(
            source / IDX_FILES[f"{split}_images"], FULL_SHA256[name][IDX_FILES[f"{split}_images"]]
        )
        labels = read_idx(
            source / IDX_FILES[f"{split}_labels"], FULL_SHA256[name][IDX_FILES[f"{split}_labels"]]
        )
        keep = balanced_sample(labels, PER_CLASS[split], rng)
        write_idx(out / f"{prefix}-images-idx3-ubyte.gz", images[keep])
        write_idx(out / f"{prefix}-labels-idx1-ubyte.gz", labels[keep])
        print(f"{name} {split}: {len(keep):,} of {len(labels):,} images")


def write_checksums() -> None:
    files = sorted(p for p in DATA_DIR.rglob("*.gz"))
    lines = [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(DATA_DIR).as_posix()}"
        for p in files
    ]
    (DATA_DIR / "SHA256SUMS").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    build("fashion-mnist", Path(sys.argv[1]))
    build("mnist", Path(sys.argv[2]))
    write_checksums()
