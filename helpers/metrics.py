"""Reconstruction metrics (Lab 01, task D1), shared by the later labs."""

from __future__ import annotations

import numpy as np

EPSILON = 1e-7  # predictions are clipped to [EPSILON, 1 - EPSILON] for BCE, as Keras does


def reconstruction_metrics(x, x_rec) -> dict[str, float]:
    """Mean BCE and MSE per pixel and mean PSNR (dB) per image of ``x_rec`` against ``x``.

    Both arrays have shape (n, ...) and values in [0, 1]. PSNR is ``10 log10(1 / MSE)`` of each
    image (a per-image MSE below 1e-10 counts as 1e-10, i.e. 100 dB), averaged over images.
    """
    x = np.asarray(x, np.float64)
    x_rec = np.asarray(x_rec, np.float64)
    if x.shape != x_rec.shape:
        raise ValueError(f"x has shape {x.shape} but x_rec has {x_rec.shape}: they must match.")
    x, p = x.reshape(len(x), -1), np.clip(x_rec.reshape(len(x), -1), EPSILON, 1 - EPSILON)
    bce = -np.mean(x * np.log(p) + (1 - x) * np.log(1 - p))
    mse_per_image = np.mean((x - p) ** 2, axis=1)
    psnr = np.mean(10 * np.log10(1.0 / np.maximum(mse_per_image, 1e-10)))
    return {"bce": float(bce), "mse": float(np.mean(mse_per_image)), "psnr": float(psnr)}
