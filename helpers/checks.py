"""Visible self-checks: each prints ``[PASS]`` lines or raises ``AssertionError("[FAIL] ...")``
with a message that says what is wrong and what usually causes it.

The central tool is ``check_summary``: it compares a Keras model with an expected layer table,
row by row, like the ``model.summary()`` printed in a lab.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Row:
    """One expected row of a model summary: layer type, output shape (without batch), params."""

    layer: str
    shape: tuple[int, ...]
    params: int
    hint: str = ""  # what a mismatch in this row usually means


def passed(message: str) -> None:
    print(f"[PASS] {message}")


def require(condition: bool, message: str) -> None:
    """Raise ``AssertionError("[FAIL] message")`` unless ``condition`` holds."""
    if not condition:
        raise AssertionError(f"[FAIL] {message}")


def summary_rows(model) -> list[Row]:
    """The rows of ``model.summary()`` as ``Row`` objects (input layer included)."""
    rows = [Row("InputLayer", tuple(model.inputs[0].shape[1:]), 0)]
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        rows.append(Row(type(layer).__name__, tuple(layer.output.shape[1:]), layer.count_params()))
    return rows


def check_summary(model, expected: Sequence[Row], name: str = "model") -> None:
    """Compare ``model`` with the expected summary table, row by row; say which row differs."""
    require(
        model is not None and hasattr(model, "layers"),
        f"{name} is {model!r}, not a Keras model: does your function `return` the model?",
    )
    actual = summary_rows(model)
    for i, (want, got) in enumerate(zip(expected, actual, strict=False)):
        where = f"{name}, row {i} ({want.layer} -> {want.shape})"
        hint = f" {want.hint}" if want.hint else ""
        require(
            got.layer == want.layer,
            f"{where}: expected a {want.layer} layer, got {got.layer}.{hint}",
        )
        require(
            got.shape == want.shape,
            f"{where}: expected output shape {want.shape}, got {got.shape}.{hint}",
        )
        require(
            got.params == want.params,
            f"{where}: expected {want.params:,} parameters, got {got.params:,}.{hint}",
        )
    require(
        len(actual) == len(expected),
        f"{name} has {len(actual)} rows (input included) but the table has {len(expected)}: "
        + (
            "a layer is missing after row "
            if len(actual) < len(expected)
            else "remove the extra layer at row "
        )
        + f"{min(len(actual), len(expected))}.",
    )
    total = sum(r.params for r in expected)
    require(
        model.count_params() == total,
        f"{name} has {model.count_params():,} parameters, expected {total:,}.",
    )
    passed(f"{name}: all {len(expected)} rows match the summary ({total:,} parameters)")


def check_same_outputs(
    f: Callable, g: Callable, x: np.ndarray, what: str, atol: float = 1e-5
) -> None:
    """Check that ``f(x)`` and ``g(x)`` agree elementwise (e.g. ``decoder(encoder(x))`` vs ``autoencoder(x)``)."""
    a, b = np.asarray(f(x)), np.asarray(g(x))
    require(a.shape == b.shape, f"{what}: shapes differ, {a.shape} vs {b.shape}.")
    diff = float(np.max(np.abs(a - b)))
    require(
        diff <= atol,
        f"{what}: outputs differ by up to {diff:.3g}. Do the models share the trained layers, "
        "or did you create new (untrained) layers?",
    )
    passed(f"{what}: identical outputs (max difference {diff:.1e})")


def check_images(x: np.ndarray, shape: tuple[int | None, ...], name: str = "x") -> None:
    """Check dtype float32, shape (``None`` = any size) and range [0, 1] of an image array."""
    x = np.asarray(x)
    ok_shape = x.ndim == len(shape) and all(
        s is None or s == d for s, d in zip(shape, x.shape, strict=False)
    )
    require(ok_shape, f"{name} should have shape {shape} (None = any), got {x.shape}.")
    require(x.dtype == np.float32, f"{name} should be float32, got {x.dtype}.")
    require(
        x.size == 0 or (x.min() >= 0 and x.max() <= 1),
        f"{name} should be in [0, 1], got [{x.min():.3g}, {x.max():.3g}]: divided by 255 twice, or not at all?",
    )
    passed(f"{name}: shape {x.shape}, float32, values in [0, 1]")


def check_close(actual: float, expected: float, what: str, rtol: float = 1e-4) -> None:
    """Check that a number matches a reference value."""
    require(
        np.isfinite(actual) and np.isclose(actual, expected, rtol=rtol, atol=1e-7),
        f"{what}: expected {expected:.6g}, got {actual:.6g}.",
    )
    passed(f"{what} = {actual:.6g} matches the reference")


def check_trained(model, history, x_val, y_val=None) -> None:
    """Check that ``model`` is the model ``history`` came from, in its final state.

    Evaluates ``model`` on the validation data and compares with the last ``val_loss`` of the
    training run: a mismatch means a figure or metric would describe another (or a re-built,
    untrained) model.
    """
    history = getattr(history, "history", history)
    require("val_loss" in history, "the history has no val_loss: train with validation_data.")
    logged = history["val_loss"][-1]
    now = float(
        model.evaluate(x_val, x_val if y_val is None else y_val, verbose=0, batch_size=1024)
    )
    require(
        np.isclose(now, logged, rtol=1e-3),
        f"{model.name} has validation loss {now:.4f}, but its training run ended at {logged:.4f}: "
        "this is not the model that was just trained (re-built or re-assigned since?).",
    )
    passed(f"{model.name} is the model just trained (validation loss {now:.4f})")
