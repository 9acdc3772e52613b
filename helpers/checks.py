"""Visible self-checks: each prints ``[PASS]`` lines or raises ``AssertionError("[FAIL] ...")``
with a message that says what is wrong and what usually causes it.

The central tool is ``check_summary``: it compares a Keras model with an expected layer table,
row by row, like the ``model.summary()`` printed in a lab (the labs' tables are in
``helpers.summaries``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Row:
    """One expected row of a model summary: layer type, output shape (without batch), params.

    ``activation`` (e.g. ``"relu"``) and ``name`` are checked when given; ``hint`` says what a
    mismatch in this row usually means.
    """

    layer: str
    shape: tuple[int, ...]
    params: int
    hint: str = ""
    activation: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Summary:
    """An expected model: its name and its rows (input layer first)."""

    model_name: str
    rows: tuple[Row, ...]

    @property
    def params(self) -> int:
        return sum(r.params for r in self.rows)


def passed(message: str) -> None:
    print(f"[PASS] {message}")


def require(condition: bool, message: str) -> None:
    """Raise ``AssertionError("[FAIL] message")`` unless ``condition`` holds."""
    if not condition:
        raise AssertionError(f"[FAIL] {message}")


MARGINS: dict[str, float] = {}  # what check_margin saw in this run: name -> value - bound


def check_margin(name: str, value: float, bound: float, unit: str = "") -> None:
    """Require ``value > bound`` for a result that depends on training, print the margin and
    record it in ``MARGINS`` (``course.py margins`` reads it to measure every seed and thread
    count)."""
    MARGINS[name] = float(value) - float(bound)
    require(value > bound, f"{name}: {value:.2f}{unit}, needs more than {bound:.2f}{unit}")
    passed(f"{name}: {value:.2f}{unit}, above {bound:.2f}{unit} by {value - bound:.2f}{unit}")


def expect_bug(check: Callable, buggy: Callable) -> None:
    """Run ``check`` on code known to be wrong and print what it found (raise if it passes)."""
    try:
        check(buggy)
    except AssertionError as found:
        print(f"[BUG FOUND] {buggy.__name__}: {str(found).removeprefix('[FAIL] ')}")
        return
    raise AssertionError(f"{check.__name__} passed on {buggy.__name__}, which has a known bug.")


def summary_rows(model) -> list[Row]:
    """The rows of ``model.summary()`` as ``Row`` objects (input layer included)."""
    inputs = [layer.name for layer in model.layers if type(layer).__name__ == "InputLayer"]
    rows = [Row("InputLayer", tuple(model.inputs[0].shape[1:]), 0, name=(inputs or [None])[0])]
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        activation = getattr(getattr(layer, "activation", None), "__name__", None)
        rows.append(
            Row(
                type(layer).__name__,
                tuple(layer.output.shape[1:]),
                layer.count_params(),
                activation=activation,
                name=layer.name,
            )
        )
    return rows


def check_summary(model, expected: Summary) -> None:
    """Compare ``model`` with an expected summary, row by row; say which row differs and why.

    Checks the model's name, then each row's layer type, output shape, parameters and, where the
    table gives them, activation and layer name.
    """
    label = expected.model_name
    require(
        model is not None and hasattr(model, "layers"),
        f"{label}: got {model!r}, not a Keras model: does your function `return` the model?",
    )
    require(
        model.name == label,
        f"the model is named {model.name!r}: name it {label!r} (keras.Model(..., name={label!r})).",
    )
    actual = summary_rows(model)
    for i, (want, got) in enumerate(zip(expected.rows, actual, strict=False)):
        where = f"{label}, row {i} ({want.layer} -> {want.shape})"
        hint = f" {want.hint}" if want.hint else ""
        for field, what in [("layer", "a layer of type"), ("shape", "output shape")]:
            require(
                getattr(got, field) == getattr(want, field),
                f"{where}: expected {what} {getattr(want, field)}, got {getattr(got, field)}.{hint}",
            )
        require(
            got.params == want.params,
            f"{where}: expected {want.params:,} parameters, got {got.params:,}.{hint}",
        )
        require(
            want.activation is None or got.activation == want.activation,
            f"{where}: expected activation {want.activation!r}, got {got.activation!r}.",
        )
        require(
            want.name is None or got.name == want.name,
            f"{where}: name this layer {want.name!r} (name={want.name!r}), not {got.name!r}.",
        )
    require(
        len(actual) == len(expected.rows),
        f"{label} has {len(actual)} rows (input included) but the table has {len(expected.rows)}: "
        + (
            "a layer is missing after row "
            if len(actual) < len(expected.rows)
            else "remove the extra layer at row "
        )
        + f"{min(len(actual), len(expected.rows))}.",
    )
    passed(
        f"{label}: name and all {len(expected.rows)} rows match the summary "
        f"({expected.params:,} parameters)"
    )


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


# --- Lab 03: corruptions ---------------------------------------------------------------------

_LAYOUTS = {
    "(n, h, w)": ((4, 12, 10), np.float32),
    "(n, h, w, 1)": ((4, 12, 10, 1), np.float32),
    "(n, h, w, 3)": ((4, 12, 10, 3), np.float32),
    "float64 (n, h, w, 2)": ((4, 12, 10, 2), np.float64),
}


def _probes():
    """Test images of every layout; row 0 of image 0 is black and pixel (1, 1) grey, so that a
    mask computed from the pixels that changed would miss them."""
    rng = np.random.default_rng(7)
    probes = {}
    for name, (shape, dtype) in _LAYOUTS.items():
        images = rng.uniform(0.1, 0.9, shape).astype(dtype)
        images[0, 0] = 0.0
        images[0, 1, 1] = 0.5
        probes[name] = images
    return probes


def _first(out):
    return out[0] if isinstance(out, tuple) else out


def _check_common(fn, images, layout, kwargs):
    """Input unchanged, float32 of the input's shape in [0, 1], seeding: what every corruption
    must do. Returns the output of ``fn(images, **kwargs, seed=3)``."""
    name = fn.__name__
    copy = images.copy()
    out = fn(images, **kwargs, seed=3)
    require(np.array_equal(images, copy), f"{name} changed its input: work on a copy.")
    damaged = _first(out)
    require(
        isinstance(damaged, np.ndarray)
        and damaged.shape == images.shape
        and damaged.dtype == np.float32,
        f"{name} on {layout} images should return a float32 array of shape {images.shape}, got "
        f"{type(damaged).__name__} {getattr(damaged, 'shape', '')} {getattr(damaged, 'dtype', '')}"
        " (convert with np.asarray(images, np.float32): float64 input too).",
    )
    require(0 <= damaged.min() and damaged.max() <= 1, f"{name}: values must stay in [0, 1].")
    again, other = _first(fn(images, **kwargs, seed=3)), _first(fn(images, **kwargs, seed=4))
    require(np.array_equal(damaged, again), f"{name}: the same seed must give the same result.")
    require(not np.array_equal(damaged, other), f"{name}: another seed should give another result.")
    return out


def check_noise(fn, factor: float = 0.3) -> None:
    """Check ``fn(images, factor, seed)``: clipped gaussian noise of the right strength."""
    for layout, images in _probes().items():
        noisy = _check_common(fn, images, layout, {"factor": factor})
        if images.ndim == 4 and images.shape[-1] > 1:
            shift = noisy - images
            require(
                not np.allclose(shift[..., 0], shift[..., 1]),
                "every channel needs its own noise: draw one value per pixel *and* channel.",
            )
    big = np.full((200, 16, 16), 0.5, np.float32)
    std = float(np.std(fn(big, factor=0.1, seed=0) - big))
    require(
        abs(std - 0.1) < 0.01,
        f"with factor 0.1 on grey 0.5 images the noise should have a standard deviation of 0.1, "
        f"got {std:.3f}: is it factor * N(0, 1), clipped to [0, 1] (not rescaled)?",
    )
    passed(
        f"{fn.__name__}: layouts and dtypes, [0, 1], input unchanged, seeded, and the noise has "
        "the strength asked for (on the check's own test images)"
    )


def _check_mask(fn, images, out, layout, fill: float):
    name = fn.__name__
    require(
        isinstance(out, tuple) and len(out) == 2,
        f"{name} should return a pair (corrupted, mask), got {type(out).__name__}.",
    )
    corrupted, mask = out
    require(
        isinstance(mask, np.ndarray) and mask.dtype == bool and mask.shape == images.shape[:3],
        f"{name} on {layout} images: the mask should be a bool array of shape {images.shape[:3]} "
        f"(one value per pixel, for all channels), got {getattr(mask, 'dtype', type(mask))} "
        f"{getattr(mask, 'shape', '')}.",
    )
    expected = np.where(mask.reshape(mask.shape + (1,) * (images.ndim - 3)), fill, images)
    require(
        np.allclose(corrupted, expected.astype(np.float32)),
        f"{name} on {layout} images: pixels where the mask is True must be {fill} in every "
        "channel, all others unchanged. Build the mask from the positions you drew, not from "
        "the pixels that changed (a black pixel stays black under a black stripe).",
    )
    return corrupted, mask


def check_stripes(fn, n_rows: int = 5) -> None:
    """Check ``fn(images, n_rows, seed) -> (corrupted, mask)``: n whole rows black per image."""
    for layout, images in _probes().items():
        out = _check_common(fn, images, layout, {"n_rows": n_rows})
        _, mask = _check_mask(fn, images, out, layout, 0.0)
        whole = mask.all(axis=2)
        require(
            np.array_equal(whole, mask.any(axis=2)),
            "every stripe is a whole row: all pixels of a row or none.",
        )
        require(
            np.all(whole.sum(axis=1) == n_rows),
            f"each image needs exactly {n_rows} black rows, got {whole.sum(axis=1).tolist()}: "
            "draw distinct rows (without replacement) for each image.",
        )
    grey = np.full((300, 12, 10), 0.5, np.float32)
    rows = fn(grey, n_rows=n_rows, seed=1)[1].all(axis=2)
    require(len({tuple(r) for r in rows}) > 1, "each image needs its own random rows.")
    require(rows.any(axis=0).all(), "over 300 images every row should be blacked out sometimes.")
    for n in (0, 12):
        _, mask = fn(grey[:3], n_rows=n, seed=1)
        require(
            np.all(mask.sum(axis=(1, 2)) == n * 10),
            f"n_rows={n} on 12-row images should black out {n} rows: any 0 <= n_rows <= h works.",
        )
    passed(f"{fn.__name__}: whole black rows (0 to h of them), mask, seeded, any channel count")


def check_block(fn, size: int = 4) -> None:
    """Check ``fn(images, size, seed) -> (corrupted, mask)``: one grey square fully inside."""
    for layout, images in _probes().items():
        out = _check_common(fn, images, layout, {"size": size})
        _, mask = _check_mask(fn, images, out, layout, 0.5)
        for m in mask:
            rows, cols = np.flatnonzero(m.any(axis=1)), np.flatnonzero(m.any(axis=0))
            require(
                m.sum() == size * size and len(rows) == size and len(cols) == size,
                f"each image needs one {size}x{size} block fully inside the image, got "
                f"{int(m.sum())} pixels over {len(rows)} rows and {len(cols)} columns.",
            )
    grey = np.full((300, 12, 10), 0.5, np.float32)
    corners = fn(grey, size=size, seed=1)[1]
    tops = {int(np.flatnonzero(m.any(axis=1))[0]) for m in corners}
    lefts = {int(np.flatnonzero(m.any(axis=0))[0]) for m in corners}
    require(
        tops == set(range(12 - size + 1)) and lefts == set(range(10 - size + 1)),
        f"over 300 images the block should start at every row 0..{12 - size} and column "
        f"0..{10 - size} (got rows {sorted(tops)}, columns {sorted(lefts)}), a new position for "
        "each image: the last position that still fits is h - size.",
    )
    full = fn(grey[:3, :10], size=10, seed=1)[1]
    require(full.all(), "size equal to the image size should cover the whole image.")
    passed(
        f"{fn.__name__}: one grey block of the size asked for per image, anywhere inside, seeded "
        "(on the check's own test images)"
    )


def check_fresh_dataset(fn, add_noise) -> None:
    """Check ``fn(images, corrupt_fn, batch_size, seed)``: shuffled (damaged, clean) batches,
    damaged anew in every epoch with one integer seed per batch, reproducible from the seed."""
    import tensorflow as tf

    images = np.random.default_rng(8).random((10, 6, 5, 1)).astype(np.float32)
    seeds = []

    def halve(batch, seed):
        seeds.append(np.asarray(seed))
        return (0.5 * batch).astype(np.float32)

    ds = fn(images, halve, 4, seed=1)
    require(isinstance(ds, tf.data.Dataset), f"return a tf.data.Dataset, got {type(ds).__name__}.")
    require(
        int(ds.cardinality()) == 3,
        f"10 images in batches of 4 make 3 batches per epoch, the dataset has {int(ds.cardinality())}"
        " (-1 means endless: no .repeat(); Keras repeats the epochs itself).",
    )
    spec = ds.element_spec
    require(
        isinstance(spec, tuple) and len(spec) == 2,
        "each element should be a pair (damaged, clean).",
    )
    require(
        [s.shape.as_list() for s in spec] == [[None, 6, 5, 1]] * 2,
        f"both halves of a batch should have the shape (batch, 6, 5, 1), got "
        f"{[s.shape.as_list() for s in spec]}: set_shape the damaged batch after tf.numpy_function.",
    )
    epochs = [[(np.asarray(d), np.asarray(c)) for d, c in ds] for _ in range(2)]
    require(
        [len(c) for _, c in epochs[0]] == [4, 4, 2],
        f"10 images in batches of 4 should give batches of 4, 4, 2, got {[len(c) for _, c in epochs[0]]}.",
    )
    require(
        all(np.allclose(d, 0.5 * c) for epoch in epochs for d, c in epoch),
        "each damaged batch must be corrupt_fn applied to the clean batch it is paired with "
        "(shuffle once, then batch, then map; do not shuffle two branches separately).",
    )
    require(
        len(seeds) == 6 and all(s.ndim == 0 and np.issubdtype(s.dtype, np.integer) for s in seeds),
        f"corrupt_fn should be called once per batch with one integer seed; got {len(seeds)} calls "
        f"with seeds of shapes {[s.shape for s in seeds]}: zip the seeds with the batches, not with "
        "the single images.",
    )
    require(
        len({int(s) for s in seeds}) == 6,
        "every batch of every epoch needs a new seed: Dataset.random(seed=..., "
        "rerandomize_each_iteration=True).",
    )
    clean = [np.concatenate([c for _, c in epoch]) for epoch in epochs]
    key = [c.reshape(10, -1).sum(axis=1) for c in clean]  # identifies each image
    require(
        np.allclose(np.sort(key[0]), np.sort(images.reshape(10, -1).sum(axis=1))),
        "the clean halves should be the input images, each once per epoch.",
    )
    require(
        not np.array_equal(clean[0], clean[1]),
        "the order should change between epochs: shuffle (reshuffled every epoch by default).",
    )

    def noisy(batch, seed):
        return add_noise(batch, 0.3, seed=seed)

    runs = [[np.asarray(d) for d, _ in fn(images, noisy, 4, seed=1)] for _ in range(2)]
    require(
        all(np.array_equal(a, b) for a, b in zip(*runs, strict=True)),
        "the same seed should give the same first epoch: seed the shuffle and the batch seeds.",
    )
    passed(
        "fresh_corruption_dataset: batches 4, 4, 2 of matching (damaged, clean) pairs, reshuffled, "
        "one new integer seed per batch and epoch, reproducible"
    )
