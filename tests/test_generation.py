import numpy as np
import pytest

from helpers.generation import colour_distance, colour_histogram, nearest_distances


def test_nearest_distances_find_copies_and_measure_rms():
    rng = np.random.default_rng(0)
    pool = rng.random((50, 4, 4, 3)).astype(np.float32)
    generated = np.stack([pool[7], pool[3] + 0.1])
    distances, indices = nearest_distances(generated, pool, chunk=1)
    assert indices.tolist() == [7, 3]
    assert np.allclose(distances, [0.0, 0.1], atol=1e-3)
    with pytest.raises(ValueError, match="cannot be compared"):
        nearest_distances(generated[:, :2], pool)


def test_colour_distance():
    red = np.zeros((2, 4, 4, 3), np.float32)
    red[..., 0] = 1.0
    blue = np.roll(red, 2, axis=-1)
    assert colour_histogram(red).sum() == pytest.approx(1.0)
    assert colour_distance(red, red) == 0.0 and colour_distance(red, blue) == 1.0
    half = np.concatenate([red, blue])
    assert colour_distance(half, red) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="RGB"):
        colour_histogram(red[..., 0])
