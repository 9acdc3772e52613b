"""Classical restoration baselines from scikit-image, one image at a time.

These are the yardsticks of Lab 03: a learned restorer is only worth training if it beats them.
Images are float arrays in [0, 1] of shape (n, h, w) or (n, h, w, c); masks are bool (n, h, w),
True where pixels are missing.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import median_filter
from skimage.restoration import denoise_tv_chambolle, inpaint_biharmonic


def _channel_axis(images: np.ndarray) -> int | None:
    return -1 if images.ndim == 4 else None


def denoise_tv(images: np.ndarray, weight: float = 0.1) -> np.ndarray:
    """Total-variation denoising (Chambolle) of every image; larger ``weight``, smoother result."""
    images = np.asarray(images, np.float64)
    axis = _channel_axis(images)
    out = [denoise_tv_chambolle(image, weight=weight, channel_axis=axis) for image in images]
    return np.clip(np.stack(out), 0, 1).astype(np.float32)


def denoise_median(images: np.ndarray, size: int = 3) -> np.ndarray:
    """Median filter of every image and channel: each pixel becomes the median of its size x size
    neighbourhood (robust against outliers, but it rounds off thin strokes)."""
    images = np.asarray(images, dtype=np.float32)
    window = (1, size, size) + (1,) * (images.ndim - 3)
    return median_filter(images, size=window, mode="reflect")


def inpaint(images: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Fill the masked pixels of every image smoothly from their surroundings (biharmonic)."""
    images, mask = np.asarray(images, np.float64), np.asarray(mask, bool)
    if mask.shape != images.shape[:3]:
        raise ValueError(f"mask has shape {mask.shape}; it must be (n, h, w) = {images.shape[:3]}.")
    axis = _channel_axis(images)
    out = [inpaint_biharmonic(im, m, channel_axis=axis) for im, m in zip(images, mask, strict=True)]
    return np.clip(np.stack(out), 0, 1).astype(np.float32)
