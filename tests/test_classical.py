import numpy as np
import pytest

from helpers import classical


def test_median_filter_removes_salt_and_keeps_shape():
    images = np.zeros((2, 9, 9, 3), np.float32)
    images[:, 4, 4] = 1.0  # an isolated bright pixel
    out = classical.denoise_median(images)
    assert out.shape == images.shape and out.dtype == np.float32 and out.max() == 0
    grey = np.random.default_rng(0).random((3, 8, 8)).astype(np.float32)
    assert classical.denoise_median(grey, size=1).tolist() == grey.tolist()


def test_tv_denoising_lowers_the_error_of_a_noisy_flat_image():
    clean = np.full((2, 16, 16, 3), 0.5, np.float32)
    noisy = np.clip(clean + 0.2 * np.random.default_rng(1).normal(size=clean.shape), 0, 1)
    out = classical.denoise_tv(noisy, weight=0.2)
    assert out.shape == clean.shape and 0 <= out.min() and out.max() <= 1
    assert np.mean((out - clean) ** 2) < 0.2 * np.mean((noisy - clean) ** 2)


def test_inpaint_fills_only_the_masked_pixels_smoothly():
    ramp = np.tile(np.linspace(0, 1, 12, dtype=np.float32), (12, 1))
    images = np.stack([ramp, ramp.T])
    mask = np.zeros((2, 12, 12), bool)
    mask[:, 4:8, 4:8] = True
    damaged = np.where(mask, 0.5, images)
    out = classical.inpaint(damaged, mask)
    assert np.allclose(out[~mask], images[~mask], atol=1e-6)
    assert np.abs(out[mask] - images[mask]).max() < 0.02  # a ramp is biharmonic: restored exactly
    with pytest.raises(ValueError, match="mask"):
        classical.inpaint(damaged, mask[:, :6])
