import gzip
import hashlib
import importlib.util
import shutil
import sys

import numpy as np
import pytest
from PIL import Image

from helpers import data

MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
PHOTO_COUNTS = {"daisy": 633, "dandelion": 898, "kodak": 24, "roses": 641, "sunflowers": 699}
PHOTO_COUNTS["tulips"] = 799
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    for var in data.ENV_VARS.values():
        monkeypatch.delenv(var, raising=False)


def copy_data(tmp_path, monkeypatch, folder):
    """A copy of one folder of data/ (with its SHA256SUMS lines) that the loaders then use."""
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR / folder, copy / folder)
    lines = (data.DATA_DIR / "SHA256SUMS").read_text().splitlines(keepends=True)
    (copy / "SHA256SUMS").write_text("".join(n for n in lines if f"  {folder}/" in n))
    monkeypatch.setattr(data, "DATA_DIR", copy)
    return copy


# --- MNIST and Fashion-MNIST ----------------------------------------------------------------


@pytest.mark.parametrize(
    "loader, name, train_counts, test_counts",
    [
        (data.load_mnist, "MNIST", MNIST_TRAIN_COUNTS, MNIST_TEST_COUNTS),
        (data.load_fashion_mnist, "Fashion-MNIST", [6000] * 10, [1000] * 10),
    ],
)
def test_full_sets_from_data_folder(loader, name, train_counts, test_counts, capsys):
    (x_train, y_train), (x_test, y_test) = loader()
    assert x_train.shape == (60_000, 28, 28) and x_test.shape == (10_000, 28, 28)
    assert x_train.dtype == x_test.dtype == np.float32
    assert x_train.min() == 0 and x_train.max() == 1
    assert y_train.dtype == y_test.dtype == np.uint8
    assert np.bincount(y_train).tolist() == train_counts
    assert np.bincount(y_test).tolist() == test_counts
    folder = "mnist" if name == "MNIST" else "fashion-mnist"
    out = capsys.readouterr().out
    assert out == f"{name}: 60,000 train / 10,000 test images from data/{folder}\n"


def test_env_var_and_path_argument_point_to_another_copy(tmp_path, monkeypatch, capsys):
    copy = tmp_path / "elsewhere"
    shutil.copytree(data.DATA_DIR / "mnist", copy)
    labels = copy / "train-labels-idx1-ubyte.gz"  # other gzip packaging, same contents: accepted
    labels.write_bytes(gzip.compress(gzip.decompress(labels.read_bytes()), compresslevel=1))
    monkeypatch.setenv("MNIST_DIR", str(copy))
    (_, y_train), _ = data.load_mnist()
    assert f"from {copy} (MNIST_DIR)" in capsys.readouterr().out
    assert np.bincount(y_train).tolist() == MNIST_TRAIN_COUNTS

    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "nowhere"))  # the argument wins
    data.load_mnist(path=copy)
    assert f"from {copy}\n" in capsys.readouterr().out


def test_env_var_to_a_folder_without_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path))
    with pytest.raises(data.DataError) as err:
        data.load_fashion_mnist()
    message = str(err.value)
    assert "train-images-idx3-ubyte.gz is missing" in message
    assert "point FASHION_MNIST_DIR to a folder with the four IDX .gz files or unset it" in message


def damage_truncate(file):
    file.write_bytes(file.read_bytes()[:3000])


def damage_flip_a_pixel(file):  # still a valid gzip file, with other contents
    raw = bytearray(gzip.decompress(file.read_bytes()))
    raw[-1] ^= 0xFF
    file.write_bytes(gzip.compress(bytes(raw), compresslevel=1))


@pytest.mark.parametrize(
    "damage, problem",
    [
        (damage_truncate, "is damaged: it cannot be decompressed"),
        (damage_flip_a_pixel, "is damaged: it does not match its known sha256"),
        (lambda file: file.unlink(), "is missing"),
    ],
)
def test_damaged_file_in_data_names_the_fix(damage, problem, tmp_path, monkeypatch):
    copy = copy_data(tmp_path, monkeypatch, "mnist")
    damage(copy / "mnist" / "t10k-images-idx3-ubyte.gz")
    with pytest.raises(data.DataError) as err:
        data.load_mnist()
    message = str(err.value)
    assert message.startswith(f"data/mnist/t10k-images-idx3-ubyte.gz {problem}")
    assert message.endswith(
        ": restore it with `git checkout -- data/` (or download the repository again)."
    )


def test_read_idx_round_trip(tmp_path):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    raw = bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in array.shape)
    raw += array.tobytes()
    path = tmp_path / "a-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(raw))
    assert np.array_equal(data.read_idx(path, hashlib.sha256(raw).hexdigest()), array)
    path.write_bytes(gzip.compress(raw[:-3]))
    with pytest.raises(data.DataError, match="not a complete uint8 IDX file"):
        data.read_idx(path)


def test_sha256sums_lists_exactly_the_data_files_with_their_digests():
    listed = data.data_checksums()
    present = {
        p.relative_to(data.DATA_DIR).as_posix()
        for folder in ("mnist", "fashion-mnist", "photos", "weights", "results")  # the full runs'
        for p in (data.DATA_DIR / folder).rglob("*")
        if p.is_file()
    }
    assert set(listed) == present
    assert sum(not name.startswith(("weights/", "results/")) for name in present) == 8 + 3_694 + 1
    for name, digest in listed.items():
        assert hashlib.sha256((data.DATA_DIR / name).read_bytes()).hexdigest() == digest, name


def test_data_folder_stays_within_its_75_mb_budget():
    sizes = {
        f.relative_to(data.DATA_DIR): f.stat().st_size
        for f in data.DATA_DIR.rglob("*")
        if f.is_file()
    }
    total = sum(sizes.values())
    largest = ", ".join(
        f"{f} ({size:,})" for f, size in sorted(sizes.items(), key=lambda i: -i[1])[:5]
    )
    assert total <= 75_000_000, f"data/ holds {total:,} bytes, over 75,000,000; largest: {largest}"


# --- photos -------------------------------------------------------------------------------------


def test_load_photos_reads_all_course_photos(capsys):
    images, sources = data.load_photos()
    assert images.shape == (3_694, 64, 64, 3) and images.dtype == np.float32
    assert 0 <= images.min() and images.max() <= 1 and 0.2 < images.mean() < 0.8
    assert dict(zip(*np.unique(sources, return_counts=True), strict=True)) == PHOTO_COUNTS
    assert list(sources) == sorted(sources)  # sorted by path, kodak among the classes
    out = capsys.readouterr().out
    assert out == "Photos: 3,694 images (64x64) from data/photos (6 folders)\n"


def test_damaged_or_missing_photo_in_data_names_the_fix(tmp_path, monkeypatch):
    copy = copy_data(tmp_path, monkeypatch, "photos/kodak")  # SHA256SUMS: just these 24
    photo = copy / "photos" / "kodak" / "kodim07.jpg"
    photo.write_bytes(photo.read_bytes()[:-100])
    with pytest.raises(data.DataError, match=r"kodim07.jpg is damaged.*git checkout -- data/"):
        data.load_photos()
    photo.unlink()
    with pytest.raises(data.DataError, match=r"kodim07.jpg is missing.*git checkout -- data/"):
        data.load_photos()


def bands(size, colours):
    """An RGB image of equal bands: side by side if it is wide, stacked if it is tall."""
    w, h = size
    image = np.zeros((h, w, 3), np.uint8)
    for i, colour in enumerate(colours):
        if w > h:
            image[:, i * w // len(colours) : (i + 1) * w // len(colours)] = colour
        else:
            image[i * h // len(colours) : (i + 1) * h // len(colours)] = colour
    return Image.fromarray(image)


@pytest.fixture
def image_folder(tmp_path):
    folder = tmp_path / "mine"
    for sub in ("a", "b", ".hidden"):
        (folder / sub).mkdir(parents=True)
    bands((300, 100), [RED, GREEN, BLUE]).save(folder / "a" / "landscape.png")
    bands((100, 300), [BLUE, GREEN, RED]).save(folder / "a" / "portrait.png")
    Image.new("CMYK", (50, 40), (0, 0, 0, 0)).save(folder / "b" / "cmyk.tif")  # white
    palette = Image.new("P", (40, 30), 1)
    palette.putpalette([0, 0, 0, 10, 200, 30])
    palette.save(folder / "b" / "palette.png")
    upright = bands((64, 64), [(255, 255, 255), (0, 0, 0)])  # white top, black bottom
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display": stored turned to the left
    upright.transpose(Image.Transpose.ROTATE_90).save(folder / "b" / "rotated.jpg", exif=exif)
    (folder / "b" / "notes.txt").write_text("not an image")
    Image.new("L", (30, 30), 100).save(folder / "grey.png")
    rgba = np.zeros((64, 64, 4), np.uint8)
    rgba[:32] = (0, 0, 255, 255)  # opaque blue on top, fully transparent red below
    rgba[32:] = (255, 0, 0, 0)
    Image.fromarray(rgba).save(folder / "rgba.png")
    bands((400, 300), [RED]).save(folder / "broken.jpg", quality=95)
    (folder / "broken.jpg").write_bytes((folder / "broken.jpg").read_bytes()[:800])
    (folder / "README.md").write_text("ignored")
    Image.new("RGB", (8, 8)).save(folder / ".hidden" / "ignored.png")
    return folder


def test_image_folder_converts_crops_and_skips(image_folder, capsys):
    images, sources = data.load_image_folder(image_folder, size=32)
    assert images.shape == (7, 32, 32, 3) and images.dtype == np.float32
    assert 0 <= images.min() and images.max() <= 1
    assert sources.tolist() == ["a", "a", "b", "b", "b", ".", "."]
    landscape, portrait, cmyk, palette, rotated, grey, rgba = images
    for centre_crop in (landscape, portrait):  # the red and blue bands are cropped away
        assert np.abs(centre_crop - [0, 1, 0]).max() < 0.1  # Lanczos: a faint fringe at the edge
        assert np.abs(centre_crop[2:-2, 2:-2] - [0, 1, 0]).max() < 0.01
    assert np.abs(cmyk - 1).max() < 0.01
    assert np.abs(palette - np.array([10, 200, 30]) / 255).max() < 0.01
    assert rotated[:12].min() > 0.9 and rotated[20:].max() < 0.1  # upright: white on top
    assert np.abs(grey - 100 / 255).max() < 0.01
    assert np.abs(rgba[:14] - [0, 0, 1]).max() < 0.02  # opaque blue
    assert np.abs(rgba[18:] - 1).max() < 0.02  # transparent -> white
    assert capsys.readouterr().out == (
        "Images: skipped 2 unreadable files (first: b/notes.txt)\n"
        f"Images: 7 images (32x32) from {image_folder} (3 folders)\n"
    )


def test_image_folder_non_square_size_keeps_the_aspect_ratio(image_folder, capsys):
    images, _ = data.load_image_folder(image_folder / "a", size=(32, 64))
    landscape = images[0]  # the centre 200x100 of red | green | blue: a quarter red on the left
    assert images.shape == (2, 32, 64, 3)
    assert np.abs(landscape[:, :12] - [1, 0, 0]).max() < 0.03
    assert np.abs(landscape[:, 20:44] - [0, 1, 0]).max() < 0.03
    assert np.abs(landscape[:, 52:] - [0, 0, 1]).max() < 0.03
    assert "2 images (32 high x 64 wide)" in capsys.readouterr().out


def test_image_folder_errors(tmp_path, image_folder, monkeypatch):
    with pytest.raises(data.DataError, match="is missing or not a folder: pass a folder"):
        data.load_image_folder(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(data.DataError, match="holds no readable image: pass a folder of images"):
        data.load_image_folder(tmp_path / "empty")
    monkeypatch.setenv("PHOTOS_DIR", str(image_folder / "b" / "notes.txt"))
    with pytest.raises(data.DataError, match="point PHOTOS_DIR to a folder of images"):
        data.load_photos()


def test_load_photos_uses_photos_dir(image_folder, monkeypatch, capsys):
    monkeypatch.setenv("PHOTOS_DIR", str(image_folder / "a"))
    images, sources = data.load_photos(size=16)
    assert images.shape == (2, 16, 16, 3) and sources.tolist() == [".", "."]
    assert f"Photos: 2 images (16x16) from {image_folder / 'a'} (PHOTOS_DIR) (1 folder)" in (
        capsys.readouterr().out
    )


# --- the build script ------------------------------------------------------------------------


def test_build_script_writes_photos_credits_and_checksums(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # no __pycache__ in data/
    spec = importlib.util.spec_from_file_location("build_data", data.DATA_DIR / "build_data.py")
    build_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_data)  # importing it must not build anything
    assert not (tmp_path / "out").exists()

    rng = np.random.default_rng(0)
    smooth = rng.integers(0, 256, (3, 1, 1, 3), dtype=np.uint8).repeat(64, 1).repeat(64, 2)
    names = np.array(["daisy/1_a.jpg", "roses/2_b.jpg", "kodim03.png"])
    np.savez(tmp_path / "photos.npz", images=smooth, filename=names)
    credits = tmp_path / "credits.txt"
    credits.write_text("licence line 1\nline 2\nold change line\n\n")
    credits.write_text(credits.read_text() + "daisy/1_a.jpg by A\nroses/2_b.jpg by B\nx/3.jpg C\n")

    out = tmp_path / "out"
    written = build_data.write_photos(tmp_path / "photos.npz", out / "photos")
    assert written == ["daisy/1_a.jpg", "roses/2_b.jpg", "kodak/kodim03.jpg"]
    build_data.write_credits(credits, written, out / "photos" / "ATTRIBUTION-tf_flowers.txt")
    text = (out / "photos" / "ATTRIBUTION-tf_flowers.txt").read_text()
    assert text.startswith("licence line 1\nline 2\nChanges:") and "old change" not in text
    assert text.endswith("\n\ndaisy/1_a.jpg by A\nroses/2_b.jpg by B\n")
    assert build_data.write_checksums(out) == 4

    images, sources = data.load_image_folder(out / "photos", size=64)
    assert sources.tolist() == ["daisy", "kodak", "roses"]
    assert np.abs(images - smooth[[0, 2, 1]] / 255).max() < 0.02


def test_stream_reads_lazily_like_the_loader_and_counts_unreadable_files(image_folder, capsys):
    stream = data.stream_image_folder(image_folder, size=32)
    assert capsys.readouterr().out == f"{image_folder}: streaming 9 files at 32x32\n"
    streamed = np.stack(list(stream.as_numpy_iterator()))
    assert capsys.readouterr().out == f"{image_folder}: skipped 2 unreadable of 9 files\n"
    loaded, _ = data.load_image_folder(image_folder, size=32)
    assert streamed.dtype == np.float32 and np.array_equal(streamed, loaded)


def test_stream_errors(tmp_path):
    with pytest.raises(data.DataError, match="missing or not a folder"):
        data.stream_image_folder(tmp_path / "nowhere")
    with pytest.raises(data.DataError, match="holds no file"):
        data.stream_image_folder(tmp_path)
