"""Rebuild everything in data/ from the course's data sources.

    python data/build_data.py SOURCES_DIR

SOURCES_DIR holds ``mnist/`` and ``fashion-mnist/`` (the four official IDX .gz files each) and
``photos/`` (``photos64.npz`` and ``ATTRIBUTION-tf_flowers.txt``). The script checks them,
copies the IDX files unchanged, writes every 64x64 photo as a JPEG (``photos/<class>/<file>``,
``photos/kodak/kodimNN.jpg``), writes the credit lines of the flower photos, and rewrites
``SHA256SUMS``. The output is deterministic (same bytes for the same Pillow/libjpeg version).
Importing this module does nothing.
"""

import hashlib
import re
import shutil
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from helpers.data import FULL_SHA256, IDX_FILES, read_idx

OUT = Path(__file__).resolve().parent
DATA_FOLDERS = ("fashion-mnist", "mnist", "photos", "weights")  # weights: saved by the full runs
# the exact source files the photos were built from (see data/README.md)
SOURCE_SHA256 = {
    "photos64.npz": "69066ccdd4583405909f15e43e20dafa3e0d75b97b456a7f72e22474a2f59d9b",
    "ATTRIBUTION-tf_flowers.txt": "cccf3ffd6a86c7f04c44d752708858b0f13229859d010a569fa4a6c0eaf0ca86",
}
JPEG = {"quality": 90, "subsampling": 0, "optimize": True}  # 4:4:4, no chroma subsampling
CREDIT_HEADER = (
    "Changes: each photo was centre-cropped to a square, downscaled to 64x64 pixels and\n"
    "re-encoded as JPEG (quality 90). One line per photo in this folder: <class>/<file> <credit>.\n"
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_digits(sources: Path, out: Path) -> None:
    """Copy the four IDX files of both digit sets, unchanged, after checking their contents."""
    for name in ("mnist", "fashion-mnist"):
        (out / name).mkdir(parents=True, exist_ok=True)
        for file in IDX_FILES.values():
            read_idx(sources / name / file, FULL_SHA256[name][file])  # raises if damaged
            shutil.copyfile(sources / name / file, out / name / file)


def jpeg_name(filename: str) -> str:
    """Where a photo of photos64.npz goes: ``daisy/123_ab.jpg`` stays, ``kodim01.png`` -> kodak/."""
    return filename if "/" in filename else f"kodak/{Path(filename).stem}.jpg"


def write_photos(npz: Path, out: Path) -> list[str]:
    """Write every photo of ``npz`` as a JPEG under ``out``; returns the relative names."""
    shutil.rmtree(out, ignore_errors=True)
    with np.load(npz) as d:
        images, filenames = d["images"], d["filename"]
    names = [jpeg_name(str(f)) for f in filenames]
    for image, name in zip(images, names, strict=True):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image).save(out / name, "JPEG", **JPEG)
    return names


def write_credits(source: Path, names: list[str], target: Path) -> None:
    """Copy the licence header and the credit line of every flower photo in ``names``."""
    text = source.read_text(encoding="utf-8")
    header = "".join(text.splitlines(keepends=True)[:2]) + CREDIT_HEADER
    credits = dict(n.split(" ", 1) for n in text.splitlines() if re.match(r"\w+/\S+\.jpg ", n))
    flowers = sorted(n for n in names if not n.startswith("kodak/"))
    missing = [n for n in flowers if n not in credits]
    if missing:
        raise SystemExit(f"{len(missing)} flower photos have no credit line, e.g. {missing[:3]}")
    lines = [f"{n} {credits[n]}\n" for n in flowers]
    target.write_text(header + "\n" + "".join(lines), encoding="utf-8")


def write_checksums(out: Path) -> int:
    """Write ``SHA256SUMS`` (``sha256sum -c`` format) for every file of the data folders."""
    files = sorted(p for folder in DATA_FOLDERS for p in (out / folder).rglob("*") if p.is_file())
    lines = [f"{sha256(p)}  {p.relative_to(out).as_posix()}\n" for p in files]
    (out / "SHA256SUMS").write_text("".join(lines))
    return len(lines)


def build(sources: Path, out: Path = OUT) -> None:
    """Check the sources and write the whole of data/ (prints what it wrote)."""
    for file, digest in SOURCE_SHA256.items():
        if sha256(sources / "photos" / file) != digest:
            raise SystemExit(f"{sources / 'photos' / file} is not the expected source file")
    copy_digits(sources, out)
    names = write_photos(sources / "photos" / "photos64.npz", out / "photos")
    write_credits(
        sources / "photos" / "ATTRIBUTION-tf_flowers.txt",
        names,
        out / "photos" / "ATTRIBUTION-tf_flowers.txt",
    )
    n_files = write_checksums(out)
    print(f"wrote 8 IDX files, {len(names):,} photos and SHA256SUMS ({n_files:,} files) in {out}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(Path(sys.argv[1]))
