"""Visible self-checks for Lab 04 (variational autoencoder), in the style of ``helpers.checks``.

Each check compares a student's function or layer with a NumPy reference written here, on
inputs made here, and says what a mismatch usually means. ``checks.expect_bug`` runs them on the
seed projects' buggy code and prints what they find.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from helpers.checks import check_summary, passed, require

_RNG_SEED = 11


def _numpy_bce_sum(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Reference: binary cross-entropy summed over every axis but the first (float64)."""
    x, p = np.asarray(x, np.float64), np.clip(np.asarray(p, np.float64), 1e-7, 1 - 1e-7)
    terms = -(x * np.log(p) + (1 - x) * np.log(1 - p))
    return terms.reshape(len(terms), -1).sum(axis=1)


def _numpy_kl(z_mean: np.ndarray, z_log_var: np.ndarray) -> np.ndarray:
    """Reference: KL(N(mean, exp(log_var)) || N(0, I)) per row, in nats (float64)."""
    m, v = np.asarray(z_mean, np.float64), np.asarray(z_log_var, np.float64)
    return 0.5 * np.sum(m**2 + np.exp(v) - 1 - v, axis=-1)


def _per_image(out, n: int, name: str) -> np.ndarray:
    values = keras.ops.convert_to_numpy(out)
    require(
        values.shape == (n,),
        f"{name} should return one number per image, shape ({n},), got {values.shape}: "
        "sum over the pixels (and channels) of each image, but not over the batch.",
    )
    require(np.all(np.isfinite(values)), f"{name} returned inf or nan: clip the predictions.")
    return values


def _in_graph(fn: Callable, *arrays: np.ndarray) -> np.ndarray:
    """``fn`` traced by ``tf.function``, as in a compiled training step (symbolic tensors)."""
    try:
        return keras.ops.convert_to_numpy(tf.function(fn)(*map(tf.constant, arrays)))
    except Exception as error:  # NumPy calls on symbolic tensors fail in many ways
        raise AssertionError(
            f"{fn.__name__} fails inside a compiled training step ({type(error).__name__}: "
            f"{str(error).splitlines()[0][:160]}): compute with keras.ops on tensors, not with NumPy."
        ) from None


def check_sampling(layer_class: type) -> None:
    """Check a sampling layer ``layer_class(seed=...)`` called on ``[z_mean, z_log_var]``.

    Draws 20,000 samples of a 3-D normal with known means and variances and compares their
    mean and standard deviation; checks seeding, and that gradients reach both inputs with the
    values of the reparameterisation trick: dz/dmean = 1 and dz/dlog_var = (z - mean) / 2.
    """
    n = 20_000
    means = np.tile(np.array([[0.0, 2.0, -1.0]], np.float32), (n, 1))
    log_vars = np.tile(np.log(np.array([[1.0, 4.0, 0.25]], np.float32)), (n, 1))
    z = keras.ops.convert_to_numpy(layer_class(seed=1)([means, log_vars]))
    require(
        z.shape == (n, 3) and z.dtype == np.float32,
        f"the samples should be float32 of the shape of z_mean, {(n, 3)}, got {z.dtype} {z.shape}.",
    )
    require(
        np.allclose(z.mean(axis=0), [0, 2, -1], atol=0.05),
        f"sample means {np.round(z.mean(axis=0), 3)}, expected [0, 2, -1]: z = mean + sigma * eps.",
    )
    require(
        np.allclose(z.std(axis=0), [1, 2, 0.5], rtol=0.03),
        f"sample standard deviations {np.round(z.std(axis=0), 3)}, expected [1, 2, 0.5]: "
        "sigma = exp(0.5 * log_var), not exp(log_var) or log_var.",
    )
    passed("20,000 samples have the right means and standard deviations")
    again = keras.ops.convert_to_numpy(layer_class(seed=1)([means, log_vars]))
    other = keras.ops.convert_to_numpy(layer_class(seed=2)([means, log_vars]))
    require(
        np.array_equal(z, again) and not np.array_equal(z, other),
        "the same seed must give the same samples and another seed other samples: draw eps with "
        "keras.random.normal(..., seed=self.seed_generator), a SeedGenerator made in __init__.",
    )
    layer = layer_class(seed=3)
    m, v = tf.Variable(means[:5]), tf.Variable(log_vars[:5])
    with tf.GradientTape() as tape:
        z = layer([m, v])
        total = tf.reduce_sum(z)
    grad_m, grad_v = tape.gradient(total, [m, v])
    require(
        grad_m is not None and grad_v is not None,
        "no gradient reaches z_mean or z_log_var: compute z from them with keras.ops, "
        "not with NumPy (which leaves the graph).",
    )
    require(
        np.allclose(grad_m.numpy(), 1.0, atol=1e-5)
        and np.allclose(grad_v.numpy(), 0.5 * (z.numpy() - means[:5]), atol=1e-4),
        "the gradients are not those of z = mean + exp(0.5 * log_var) * eps.",
    )
    second = keras.ops.convert_to_numpy(layer([means[:5], log_vars[:5]]))
    require(
        not np.array_equal(second, z.numpy()),
        "two calls of one layer drew the same noise: pass the layer's SeedGenerator, not an int.",
    )
    passed("seeded, fresh noise on every call, and gradients flow to z_mean and z_log_var")
    inputs = keras.Input((3,)), keras.Input((3,))
    try:
        model = keras.Model(inputs, layer_class(seed=4)(list(inputs)))
        out = keras.ops.convert_to_numpy(model([means[:5], log_vars[:5]]))
    except Exception as error:
        raise AssertionError(
            f"the layer fails on symbolic keras.Input tensors, as in build_encoder "
            f"({type(error).__name__}): compute with keras.ops and keras.random, not NumPy."
        ) from None
    require(
        out.shape == (5, 3),
        f"inside a functional model (keras.Input) the layer gave shape {out.shape}, expected (5, 3).",
    )
    passed("works on symbolic keras.Input tensors, inside a functional model")


def check_kl(fn: Callable) -> None:
    """Check ``fn(z_mean, z_log_var)``: the KL divergence to N(0, I) per image."""
    require(
        np.allclose(_per_image(fn(np.zeros((2, 4), np.float32), np.zeros((2, 4), np.float32)), 2, "kl"), 0, atol=1e-6),
        "the KL divergence of N(0, I) to itself must be 0.",
    )  # fmt: skip
    one = _per_image(fn(np.array([[1.0, 0.0]], np.float32), np.zeros((1, 2), np.float32)), 1, "kl")
    require(
        np.isclose(one[0], 0.5, atol=1e-5),
        f"for z_mean [1, 0] and z_log_var [0, 0] the KL is 0.5 (half the squared mean), got {one[0]:.4g}.",
    )
    rng = np.random.default_rng(_RNG_SEED)
    m, v = (
        rng.normal(0, 1.5, (6, 8)).astype(np.float32),
        rng.normal(0, 1, (6, 8)).astype(np.float32),
    )
    got, want = _per_image(fn(m, v), 6, "kl"), _numpy_kl(m, v)
    require(
        np.allclose(got, want, rtol=1e-4),
        f"KL per image {np.round(got[:3], 4)} ..., expected {np.round(want[:3], 4)} ...: "
        "-0.5 * sum(1 + log_var - mean^2 - exp(log_var)) over the latent axis (the last one).",
    )
    require(
        np.allclose(_in_graph(fn, m, v), want, rtol=1e-4),
        "kl gives other values inside tf.function than outside.",
    )
    passed(
        "KL divergence per image matches the reference (zero at the prior, 0.5 for mean [1, 0]), also in a compiled step"
    )


def check_reconstruction_loss(fn: Callable) -> None:
    """Check ``fn(x, x_rec)``: binary cross-entropy summed over every pixel and channel of each image."""
    rng = np.random.default_rng(_RNG_SEED)
    for shape in [(5, 28, 28, 1), (5, 8, 8, 3), (5, 784)]:
        x = rng.uniform(0, 1, shape).astype(np.float32)
        p = rng.uniform(0.05, 0.95, shape).astype(np.float32)
        got, want = _per_image(fn(x, p), 5, "reconstruction_loss"), _numpy_bce_sum(x, p)
        ratio = float(np.mean(want / got)) if np.all(got > 0) else float("nan")
        hint = (
            f" Your values are {ratio:.2f} times too small: keras.losses.binary_crossentropy "
            "averages over the last axis (the channels); sum the element-wise keras.ops.binary_crossentropy instead."
            if ratio > 1.5
            else ""
        )
        require(
            np.allclose(got, want, rtol=1e-4),
            f"on images of shape {shape[1:]}: expected {np.round(want[:3], 2)} ..., got {np.round(got[:3], 2)} ...: "
            f"sum the cross-entropy over height, width and channels of each image.{hint}",
        )
    require(
        np.allclose(_in_graph(fn, x, p), want, rtol=1e-4),
        "reconstruction_loss gives other values inside tf.function than outside.",
    )
    edge = np.array([[0.0, 1.0, 0.0, 1.0]], np.float32).reshape(1, 2, 2, 1)
    perfect = _per_image(fn(edge, edge), 1, "reconstruction_loss")
    require(
        perfect[0] < 1e-3,
        f"a perfect prediction of a black-and-white image should cost ~0, got {perfect[0]:.3g}.",
    )
    passed("summed BCE per image matches the reference for 1 and 3 channels and flat vectors; exact 0/1 pixels are safe; runs in a compiled step")  # fmt: skip


def check_negative_elbo(fn: Callable) -> None:
    """Check ``fn(x, x_rec, z_mean, z_log_var)``: the per-image reconstruction term plus the KL."""
    rng = np.random.default_rng(_RNG_SEED)
    x = rng.uniform(0, 1, (4, 6, 6, 3)).astype(np.float32)
    p = rng.uniform(0.05, 0.95, x.shape).astype(np.float32)
    m, v = rng.normal(0, 1, (4, 2)).astype(np.float32), rng.normal(0, 1, (4, 2)).astype(np.float32)
    base = _per_image(fn(x, p, m, v), 4, "negative_elbo")
    moved = _per_image(fn(x, p, m + 1, v), 4, "negative_elbo")
    require(
        not np.allclose(base, moved),
        "the loss does not change when z_mean changes: the encoder's mean and variance are not "
        "in the loss, so nothing pulls the codes towards N(0, I). The KL term compares the "
        "encoder's distribution N(z_mean, exp(z_log_var)) with the prior, not pixels with pixels.",
    )
    want = _numpy_bce_sum(x, p) + _numpy_kl(m, v)
    require(
        np.allclose(base, want, rtol=1e-4),
        f"expected {np.round(want[:2], 3)} ..., got {np.round(base[:2], 3)} ...: the summed "
        "reconstruction term plus the KL divergence, per image.",
    )
    for beta in (0.0, 2.0):
        weighted = _per_image(fn(x, p, m, v, beta=beta), 4, "negative_elbo")
        require(
            np.allclose(weighted, _numpy_bce_sum(x, p) + beta * _numpy_kl(m, v), rtol=1e-4),
            f"with beta={beta:g} expected the reconstruction term + {beta:g} * KL, got "
            f"{np.round(weighted[:2], 3)} ...: multiply the KL term (only) by beta.",
        )
    passed(
        "negative ELBO per image = summed reconstruction term + beta * KL of the encoder's distribution"
    )


def check_prior_samples(fn: Callable) -> None:
    """Check ``fn(n, latent_dim, seed)``: float32 samples of the prior N(0, I)."""
    z = np.asarray(fn(50_000, 4, seed=5))
    require(
        z.shape == (50_000, 4) and z.dtype == np.float32,
        f"expected float32 of shape (50000, 4), got {z.dtype} {z.shape}.",
    )
    tails = float(np.mean(np.abs(z) > 2))
    require(
        abs(tails - 0.0455) < 0.005,
        f"{tails:.1%} of the values lie beyond +-2, a standard normal has 4.6% there: draw from "
        "a standard normal, not from a uniform range or with another scale.",
    )
    require(
        np.allclose(z.mean(axis=0), 0, atol=0.03) and np.allclose(z.std(axis=0), 1, rtol=0.03),
        f"per-dimension means {np.round(z.mean(axis=0), 2)} and standard deviations "
        f"{np.round(z.std(axis=0), 2)}: the prior has mean 0 and standard deviation 1.",
    )
    same, other = np.asarray(fn(10, 4, seed=5)), np.asarray(fn(10, 4, seed=6))
    require(
        np.array_equal(same, np.asarray(fn(10, 4, seed=5))),
        "the same seed must give the same samples.",
    )
    require(not np.array_equal(same, other), "another seed should give other samples.")
    passed("samples of N(0, I): mean 0, standard deviation 1, 4.6% beyond +-2, seeded")


def check_encoder(build: Callable, expected) -> None:
    """Check ``build(latent_dim=2)`` against the table, the order of its outputs
    ``[z_mean, z_log_var, z]``, and ``build(8, (64, 64, 3))`` for colour photos."""
    check_summary(build(), expected)
    model = build(latent_dim=8, shape=(64, 64, 3))
    outputs = model(np.full((2, 64, 64, 3), 0.5, np.float32))
    require(
        isinstance(outputs, (list, tuple)) and len(outputs) == 3,
        "the encoder should output the list [z_mean, z_log_var, z].",
    )
    shapes = [tuple(o.shape) for o in outputs]
    require(
        shapes == [(2, 8)] * 3,
        f"build_encoder(8, (64, 64, 3)) gave outputs of shapes {shapes}, expected three (2, 8): "
        "use the arguments latent_dim and shape instead of fixed numbers.",
    )
    names = [model.get_layer(name).output for name in ("z_mean", "z_log_var")]
    tail = keras.Model(model.inputs[0], names)(np.full((2, 64, 64, 3), 0.5, np.float32))
    require(
        all(np.allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b)) for a, b in zip(outputs[:2], tail, strict=True)),
        "the first two outputs should be z_mean and z_log_var, in this order.",
    )  # fmt: skip
    passed("outputs [z_mean, z_log_var, z]; other latent sizes and colour photos work")


def check_decoder(build: Callable, expected) -> None:
    """Check ``build(latent_dim=2)`` against the table and ``build(8, (64, 64, 3))``."""
    check_summary(build(), expected)
    model = build(latent_dim=8, shape=(64, 64, 3))
    out = keras.ops.convert_to_numpy(model(np.zeros((2, 8), np.float32)))
    require(
        out.shape == (2, 64, 64, 3),
        f"build_decoder(8, (64, 64, 3)) gave images of shape {out.shape}, expected (2, 64, 64, 3): "
        "use latent_dim, and height // 4, width // 4 and the channels of shape.",
    )
    require(0 <= out.min() and out.max() <= 1, "decoded pixels must be in [0, 1]: sigmoid output.")
    passed("other latent sizes and colour photos work")
