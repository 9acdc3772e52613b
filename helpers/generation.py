"""Numbers for generated images: are they new (not copies), and do they have the right colours?"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter


def nearest_distances(generated: np.ndarray, pool: np.ndarray, chunk: int = 256):
    """For each generated image, the RMS pixel distance to its nearest image in ``pool`` and that
    image's index: ``(distances, indices)``. A distance near 0 means a copy of a training image."""
    flat_pool = np.asarray(pool, np.float32).reshape(len(pool), -1)
    pool_sq = np.sum(flat_pool**2, axis=1)
    flat = np.asarray(generated, np.float32).reshape(len(generated), -1)
    if flat.shape[1] != flat_pool.shape[1]:
        raise ValueError(
            f"images of shape {generated.shape[1:]} cannot be compared with {pool.shape[1:]}."
        )
    distances, indices = [], []
    for start in range(0, len(flat), chunk):
        part = flat[start : start + chunk]
        squared = np.sum(part**2, axis=1)[:, None] - 2 * part @ flat_pool.T + pool_sq[None, :]
        best = np.argmin(squared, axis=1)
        indices.append(best)
        distances.append(
            np.sqrt(np.maximum(squared[np.arange(len(part)), best], 0) / flat.shape[1])
        )
    return np.concatenate(distances), np.concatenate(indices)


def colour_histogram(images: np.ndarray, bins: int = 8) -> np.ndarray:
    """The joint RGB histogram of all pixels of ``images`` (n, h, w, 3) in [0, 1], as
    probabilities of shape (bins, bins, bins)."""
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"colour_histogram needs RGB images (n, h, w, 3), got {images.shape}.")
    levels = np.clip((images.reshape(-1, 3) * bins).astype(int), 0, bins - 1)
    counts = np.bincount(levels @ np.array([bins * bins, bins, 1]), minlength=bins**3)
    return (counts / counts.sum()).reshape(bins, bins, bins)


def colour_distance(a: np.ndarray, b: np.ndarray, bins: int = 8) -> float:
    """Total-variation distance between the colour histograms of two sets of RGB images: 0 for
    the same colours, 1 for colours that never overlap. ``b`` may also be the histogram of a set
    (``colour_histogram(images, bins)``), to compare many sets with one without recounting it."""
    b = np.asarray(b)
    reference = b if b.shape == (bins, bins, bins) else colour_histogram(b, bins)
    return float(0.5 * np.abs(colour_histogram(a, bins) - reference).sum())


def novelty_verdict(distance: float, copies: float, new: float) -> str:
    """Where a typical distance to the nearest training photo lies between two yardsticks of the
    same blur: ``copies``, that of images known to copy training photos (e.g. a decoder's
    reconstructions of training photos), and ``new``, that of images known to be new (its
    reconstructions of held-out photos). Blurred images sit close to many photos in RMS, so a
    raw distance says little without yardsticks drawn the same way."""
    if not copies < new:
        raise ValueError(f"the copies' yardstick ({copies:.3f}) must be below the new ({new:.3f}).")
    if distance <= copies:
        return "as close as decoded copies of training photos: copies are not ruled out"
    if distance >= new:
        return "as far as decoded photos the model never saw: new"
    share = (distance - copies) / (new - copies)
    return f"between decoded copies and decoded new photos, {share:.0%} of the way to new"


def colour_verdict(distance: float, right: float, wrong: float) -> str:
    """Where a colour distance to the film lies between ``right`` (that of real film photos the
    model never saw) and ``wrong`` (that of plain photos without the film look)."""
    if not right < wrong:
        raise ValueError(
            f"the right colours ({right:.3f}) must score below the wrong ({wrong:.3f})."
        )
    if distance <= right:
        return "the film's colours, as close as real film photos"
    if distance >= wrong:
        return "further from the film's colours than plain photos without the film look"
    share = (distance - right) / (wrong - right)
    return f"{share:.0%} of the way from the film's colours to plain photos' colours"


def gaussian_blur(grey: np.ndarray, sigma: float) -> np.ndarray:
    """Blur grey images (n, h, w) with a Gaussian of ``sigma`` pixels (edges mirrored)."""
    return gaussian_filter(grey, (0, sigma, sigma), mode="mirror", truncate=3.0)


def band_energy(images: np.ndarray, fine: float = 1.0, coarse: float = 2.0) -> float:
    """Mean energy of a band-pass of RGB images (n, h, w, 3): the difference of two Gaussian blurs
    (``fine`` and ``coarse`` sigma, in pixels) of the grey image keeps structures between about
    ``2 * fine`` and ``6 * coarse`` pixels wide (edges, petals, texture) and drops flat areas."""
    images = np.asarray(images, np.float64)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"band_energy needs RGB images (n, h, w, 3), got {images.shape}.")
    grey = images @ np.array([0.299, 0.587, 0.114])
    return float(np.mean((gaussian_blur(grey, fine) - gaussian_blur(grey, coarse)) ** 2))


def detail_ratio(images: np.ndarray, real: np.ndarray, fine=1.0, coarse=2.0) -> float:
    """The band energy of ``images`` over that of ``real`` photos: 1 for as much detail as real
    photos, 0 for a flat blur (a Gaussian blur of sigma 1 pixel keeps about half of it). On the
    band of sigma 0.5 to 1 pixel, where grain and static live, a ratio far above 1 is noise."""
    return band_energy(images, fine, coarse) / band_energy(real, fine, coarse)
