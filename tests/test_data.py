import gzip
import shutil

import numpy as np
import pytest

from helpers import data


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No Keras cache, no system folder, no env vars, no network."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(data, "SYSTEM_DATASETS", tmp_path / "system")
    for var in data.ENV_VARS.values():
        monkeypatch.delenv(var, raising=False)

    def refuse(*args, **kwargs):
        raise OSError("network unreachable")

    monkeypatch.setattr(data.socket, "create_connection", refuse)


@pytest.mark.parametrize("loader", [data.load_fashion_mnist, data.load_mnist])
def test_embedded_subset_shapes_and_ranges(loader, offline, capsys):
    (x_train, y_train), (x_test, y_test) = loader()
    assert x_train.shape == (12_000, 28, 28) and x_test.shape == (2_000, 28, 28)
    assert x_train.dtype == np.float32 and 0 <= x_train.min() and x_train.max() <= 1
    assert y_train.dtype == np.uint8 and np.bincount(y_train).tolist() == [1200] * 10
    assert np.bincount(y_test).tolist() == [200] * 10
    assert "12,000 train / 2,000 test images from embedded subset" in capsys.readouterr().out


def test_full_profile_without_network_says_so_and_falls_back(offline, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    (x_train, _), _ = data.load_fashion_mnist()
    out = capsys.readouterr().out
    assert "no network" in out and "embedded subset" in out
    assert len(x_train) == 12_000


def test_full_profile_downloads_when_online(offline, monkeypatch, capsys):
    import keras

    monkeypatch.setenv("COURSE_PROFILE", "full")
    monkeypatch.setattr(
        data.socket, "create_connection", lambda *a, **k: type("S", (), {"close": lambda s: None})()
    )
    fake = np.full((3, 28, 28), 255, np.uint8), np.arange(3, dtype=np.uint8)
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", lambda: (fake, fake))
    (x_train, _), _ = data.load_fashion_mnist()
    assert "downloaded with keras.datasets" in capsys.readouterr().out
    assert x_train.shape == (3, 28, 28) and x_train.max() == 1.0


def test_quick_profile_never_downloads(offline, monkeypatch):
    monkeypatch.setattr(
        data, "_download", lambda name: pytest.fail("quick profile must not download")
    )
    data.load_mnist()


def copy_embedded(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    monkeypatch.setattr(data, "DATA_DIR", copy)
    return copy


def test_corrupted_embedded_file_is_reported(offline, tmp_path, monkeypatch):
    copy = copy_embedded(tmp_path, monkeypatch)
    target = copy / "fashion-mnist" / "train-labels-idx1-ubyte.gz"
    raw = bytearray(target.read_bytes())
    raw[-20] ^= 0xFF
    target.write_bytes(bytes(raw))
    with pytest.raises(
        data.DataError, match=r"does not match data/SHA256SUMS.*git checkout -- data/"
    ):
        data.load_fashion_mnist()


def test_truncated_cache_file_is_reported(offline, tmp_path):
    cache = tmp_path / "keras" / "datasets" / "fashion-mnist"
    shutil.copytree(data.DATA_DIR / "fashion-mnist", cache)
    images = cache / "train-images-idx3-ubyte.gz"
    images.write_bytes(images.read_bytes()[:5000])
    with pytest.raises(data.DataError, match="cannot be decompressed.*Delete it"):
        data.load_fashion_mnist()


def test_cache_file_with_wrong_content_fails_the_checksum(offline, tmp_path):
    # the embedded subset is a valid IDX file, but not the full official set
    shutil.copytree(data.DATA_DIR / "mnist", tmp_path / "keras" / "datasets" / "mnist")
    with pytest.raises(data.DataError, match="known sha256"):
        data.load_mnist()


def test_explicit_path_that_holds_nothing_is_an_error(offline, tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(data.DataError, match="MNIST_DIR"):
        data.load_mnist()


def test_read_idx_round_trip(tmp_path):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    raw = (
        bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in array.shape) + array.tobytes()
    )
    path = tmp_path / "a-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(raw))
    import hashlib

    assert np.array_equal(data.read_idx(path, hashlib.sha256(raw).hexdigest()), array)
    path.write_bytes(gzip.compress(raw[:-3]))
    with pytest.raises(data.DataError, match="not a complete uint8 IDX file"):
        data.read_idx(path)


def test_embedded_checksums_list_every_data_file():
    listed = set(data.embedded_checksums())
    present = {p.relative_to(data.DATA_DIR).as_posix() for p in data.DATA_DIR.rglob("*.gz")}
    assert listed == present and len(listed) == 8
