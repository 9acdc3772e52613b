"""Figures used across the labs. Every function returns its matplotlib ``Figure``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import keras
import matplotlib.pyplot as plt
import numpy as np


def show_rows(
    rows: Sequence[np.ndarray],
    titles: Sequence[str],
    n: int = 10,
    image_shapes: Sequence[tuple[int, ...] | None] | None = None,
    suptitle: str | None = None,
    labels: Sequence[str] | None = None,
    size: float = 1.2,
    scales: Sequence[tuple[float, float] | None] | None = None,
) -> plt.Figure:
    """Show ``n`` images from each array in ``rows``, one row per array, titled on the left.

    Arrays may hold flat vectors (reshaped with ``image_shapes``, one entry per row; ``None``
    means "already an image"), greyscale (n, h, w) or (n, h, w, 1), or RGB (n, h, w, 3) images
    in [0, 1]. A row whose values are not in [0, 1] (e.g. codes) is scaled per row to its own
    min..max, so its pictures show the pattern, not the absolute values. ``scales`` gives one
    ``(low, high)`` per row (``None``: as above), drawn from black to white: give two rows the
    same scale to compare their values. ``labels`` go above the first row's images; ``size`` is
    the width of one image in inches.
    """
    if len(rows) != len(titles):
        raise ValueError(f"got {len(rows)} rows but {len(titles)} titles: give one title per row.")
    image_shapes = image_shapes or [None] * len(rows)
    scales = scales or [None] * len(rows)
    n = min(n, *(len(r) for r in rows))
    fig, axes = plt.subplots(
        len(rows), n, figsize=(size * n, (size + 0.15) * len(rows)), squeeze=False
    )
    for r, (row, title, shape, scale) in enumerate(
        zip(rows, titles, image_shapes, scales, strict=True)
    ):
        images = _as_images(np.asarray(row[:n], np.float32), shape)
        low, high = scale or (
            (0.0, 1.0) if images.min() >= 0 and images.max() <= 1 else (images.min(), images.max())
        )
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(images[c], cmap="gray" if images.ndim == 3 else None, vmin=low, vmax=high)
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0 and labels is not None:
                ax.set_title(labels[c], fontsize=8)
        axes[r, 0].set_ylabel(title, rotation=0, ha="right", va="center", fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def plot_history(
    histories: Mapping[str, Mapping[str, Sequence[float]]],
    metric: str = "loss",
    title: str | None = None,
    target: float | None = None,
) -> plt.Figure:
    """Plot training and validation curves of one metric for one or more runs.

    ``histories`` maps a run name to a Keras ``History.history`` dict (or the ``History`` itself).
    Solid lines are training, dashed lines validation; ``target`` draws a horizontal line.
    """
    fig, ax = plt.subplots(figsize=(7, 4))
    for i, (name, history) in enumerate(histories.items()):
        history = getattr(history, "history", history)
        color = f"C{i}"
        epochs = np.arange(1, len(history[metric]) + 1)
        marker = "o" if len(epochs) <= 10 else None  # short runs: show each epoch's point
        ax.plot(epochs, history[metric], color=color, marker=marker, label=f"{name} (train)")
        if f"val_{metric}" in history:
            ax.plot(
                epochs,
                history[f"val_{metric}"],
                "--",
                color=color,
                marker=marker,
                label=f"{name} (validation)",
            )
    ax.xaxis.get_major_locator().set_params(integer=True)
    if target is not None:
        ax.axhline(target, color="grey", lw=1, ls=":", label=f"target {target}")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.set_title(title or f"{metric} per epoch")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_curves(
    curves: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    xlabel: str,
    ylabel: str,
    title: str | None = None,
    target: float | None = None,
    logx: bool = False,
) -> plt.Figure:
    """Plot one line per run through its ``(x, y)`` points, e.g. a validation loss against the
    number of updates, so that runs of different lengths share one axis. ``target`` draws a
    horizontal line; ``logx`` makes the x axis logarithmic (a short run beside a long one)."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for i, (name, (x, y)) in enumerate(curves.items()):
        if len(x) != len(y):
            raise ValueError(f"{name}: {len(x)} x values but {len(y)} y values.")
        ax.plot(x, y, marker="o", ms=4, color=f"C{i}", label=name)
    if target is not None:
        ax.axhline(target, color="grey", lw=1, ls=":", label=f"target {target}")
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title or f"{ylabel} against {xlabel}")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.tight_layout()
    return fig


def show_reconstructions(
    model, images: np.ndarray, n: int = 10, labels: Sequence[str] | None = None
) -> plt.Figure:
    """Show the first ``n`` images over their reconstructions by ``model``, computed here.

    The reconstructions are always predicted from the model passed in, never taken from a
    variable that might belong to another model; the title names the model and its mean BCE
    on these images.
    """
    originals = np.asarray(images[:n], np.float32)
    rebuilt = np.asarray(model.predict(originals, verbose=0))
    flat = originals.reshape(len(originals), -1), rebuilt.reshape(len(rebuilt), -1)
    bce = float(np.mean(keras.losses.binary_crossentropy(*flat)))
    return show_rows(
        [originals, rebuilt],
        ["original", "reconstruction"],
        n=n,
        image_shapes=[(28, 28) if originals.ndim == 2 else None] * 2,
        labels=labels,
        suptitle=f"{model.name}: first {len(originals)} test images "
        f"(BCE of these {len(originals)}: {bce:.4f})",
    )


def show_heatmaps(maps: Mapping[str, np.ndarray], suptitle: str | None = None) -> plt.Figure:
    """Show 2-D maps (e.g. mean error per pixel) side by side on one shared colour scale."""
    arrays = [np.asarray(m, np.float64) for m in maps.values()]
    low, high = min(a.min() for a in arrays), max(a.max() for a in arrays)
    fig, axes = plt.subplots(1, len(arrays), figsize=(3.2 * len(arrays) + 0.8, 3.2), squeeze=False)
    for ax, title, array in zip(axes[0], maps, arrays, strict=True):
        image = ax.imshow(array, cmap="magma", vmin=low, vmax=high)
        ax.set_title(title, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(image, ax=axes[0].tolist(), shrink=0.85)
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def show_latent_scatter(
    codes: np.ndarray, labels: np.ndarray, title: str | None = None
) -> plt.Figure:
    """Scatter 2-D codes coloured by their label (e.g. the digit), with the circles that hold
    39% and 86% of the prior N(0, I) (radius 1 and 2)."""
    codes = np.asarray(codes)
    if codes.ndim != 2 or codes.shape[1] != 2:
        raise ValueError(f"show_latent_scatter needs codes of shape (n, 2), got {codes.shape}.")
    fig, ax = plt.subplots(figsize=(6.4, 5.6))
    points = ax.scatter(codes[:, 0], codes[:, 1], c=labels, cmap="tab10", s=3, alpha=0.6)
    for radius in (1, 2):
        ax.add_patch(plt.Circle((0, 0), radius, fill=False, ls="--", color="grey", lw=1))
    fig.colorbar(points, ax=ax, ticks=np.unique(labels), label="label")
    ax.set_xlabel("z[0]")
    ax.set_ylabel("z[1]")
    ax.set_aspect("equal")
    ax.set_title(title or "codes (z_mean) of the test images")
    fig.tight_layout()
    return fig


def show_grid(
    images: np.ndarray,
    row_values: Sequence[float],
    col_values: Sequence[float],
    title: str | None = None,
    size: float = 9.0,
    axis_labels: tuple[str, str] = ("z[0]", "z[1]"),
) -> plt.Figure:
    """Show a (rows, cols, h, w[, 3]) grid of images as one picture; the axes are labelled with
    the value behind each row (y, top to bottom) and column (x), e.g. the two code values, and
    named by ``axis_labels`` (x, y)."""
    images = np.asarray(images)
    rows, cols, h, w = images.shape[:4]
    mosaic = images.swapaxes(1, 2).reshape(rows * h, cols * w, *images.shape[4:])
    fig, ax = plt.subplots(figsize=(size, size * rows * h / (cols * w)))
    ax.imshow(mosaic, cmap="gray" if mosaic.ndim == 2 else None, vmin=0, vmax=1)
    step_r, step_c = max(1, rows // 6), max(1, cols // 6)
    ax.set_yticks(np.arange(rows)[::step_r] * h + h / 2, [f"{v:.2f}" for v in row_values[::step_r]])
    ax.set_xticks(np.arange(cols)[::step_c] * w + w / 2, [f"{v:.2f}" for v in col_values[::step_c]])
    ax.set_xlabel(axis_labels[0])
    ax.set_ylabel(axis_labels[1])
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def show_code_histograms(
    codes: Mapping[str, np.ndarray], dims: int = 2, images: str = "the test images"
) -> plt.Figure:
    """One row per model, one column per code dimension (the first ``dims``): a histogram of
    the codes against the density of N(0, 1), the distribution that random codes come from.
    ``images`` names what was encoded, for the title (e.g. ``"the training photos"``)."""
    fig, axes = plt.subplots(
        len(codes), dims, figsize=(3.2 * dims, 2.3 * len(codes)), squeeze=False
    )
    grid = np.linspace(-4, 4, 200)
    for r, (name, values) in enumerate(codes.items()):
        values = np.asarray(values)
        for d in range(dims):
            ax = axes[r, d]
            column = values[:, d]
            ax.hist(column, bins=60, density=True, color=f"C{r}", alpha=0.7)
            ax.plot(grid, np.exp(-(grid**2) / 2) / np.sqrt(2 * np.pi), "k--", lw=1)
            ax.set_title(
                f"{name}, z[{d}]: mean {column.mean():.2f}, std {column.std():.2f}", fontsize=9
            )
            ax.set_yticks([])
    fig.suptitle(f"Codes of {images}; dashed: N(0, 1), where random codes come from")
    fig.tight_layout()
    return fig


def _as_images(batch: np.ndarray, shape: tuple[int, ...] | None) -> np.ndarray:
    if shape is not None:
        batch = batch.reshape(len(batch), *shape)
    if batch.ndim == 4 and batch.shape[-1] == 1:
        batch = batch[..., 0]
    if batch.ndim not in (3, 4):
        raise ValueError(
            f"cannot show an array of shape {batch.shape} as images: pass image_shapes, "
            "e.g. (28, 28) for flat 784-vectors or (8, 4) for 32-number codes."
        )
    return batch
