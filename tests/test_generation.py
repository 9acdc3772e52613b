import numpy as np
import pytest

from helpers import generation
from helpers.generation import (
    colour_distance,
    colour_histogram,
    colour_verdict,
    nearest_distances,
    novelty_verdict,
)


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
    assert colour_distance(half, colour_histogram(red)) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="RGB"):
        colour_histogram(red[..., 0])


def test_novelty_verdict_places_a_distance_between_the_yardsticks():
    assert novelty_verdict(0.10, 0.12, 0.20).startswith("as close as decoded copies")
    assert novelty_verdict(0.21, 0.12, 0.20).endswith(": new")
    assert novelty_verdict(0.16, 0.12, 0.20).endswith("50% of the way to new")
    with pytest.raises(ValueError, match="below"):
        novelty_verdict(0.1, 0.2, 0.2)


def test_colour_verdict_places_a_distance_between_right_and_wrong_colours():
    assert colour_verdict(0.01, 0.02, 0.55).startswith("the film's colours")
    assert colour_verdict(0.9, 0.02, 0.55).startswith("further from the film's colours")
    assert colour_verdict(0.285, 0.02, 0.55).startswith("50% of the way")
    with pytest.raises(ValueError, match="below"):
        colour_verdict(0.1, 0.5, 0.5)


def test_detail_ratio_is_one_for_the_photos_themselves_and_falls_with_blur():
    rng = np.random.default_rng(0)
    photos = rng.random((6, 32, 32, 3))
    blurred = np.stack([generation.gaussian_blur(photos[..., c], 1.5) for c in range(3)], axis=-1)
    assert np.isclose(generation.detail_ratio(photos, photos), 1.0)
    assert generation.detail_ratio(blurred, photos) < 0.3
    assert generation.detail_ratio(np.full_like(photos, 0.4), photos) < 1e-12
    static = np.clip(blurred + 0.2 * rng.standard_normal(photos.shape), 0, 1)
    assert generation.detail_ratio(static, blurred, fine=0.5, coarse=1.0) > 1.5


def test_gaussian_blur_keeps_the_mean_and_a_constant():
    flat = np.full((1, 9, 7), 0.3)
    assert np.allclose(generation.gaussian_blur(flat, 2.0), 0.3)


def test_band_energy_wants_rgb_images():
    with pytest.raises(ValueError, match="RGB images"):
        generation.band_energy(np.zeros((2, 8, 8)))
