"""Visible self-checks for Lab 05 (Lomography), in the style of ``helpers.checks``: a student's
function against a NumPy reference written here, on inputs made here."""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from helpers.checks import check_margin, check_same_outputs, check_summary, passed, require


def check_vignette(fn: Callable, strength: float = 0.4) -> None:
    """Check ``fn(images, strength)``: every pixel times ``1 - strength * r**2``."""
    rng = np.random.default_rng(5)
    for shape in [(3, 9, 7, 3), (2, 6, 10, 1)]:
        images = rng.uniform(0.2, 1.0, shape).astype(np.float32)
        copy = images.copy()
        out = fn(images, strength)
        require(np.array_equal(images, copy), "vignette changed its input: work on a copy.")
        require(
            isinstance(out, np.ndarray) and out.shape == shape and out.dtype == np.float32,
            f"expected a float32 array of shape {shape}, got {type(out).__name__} "
            f"{getattr(out, 'shape', '')} {getattr(out, 'dtype', '')}.",
        )
        factor = out / images
        corner = float(factor[0, 0, 0, 0])
        require(
            np.isclose(corner, 1 - strength, atol=1e-5),
            f"a corner pixel should be multiplied by 1 - strength = {1 - strength:.2f}, got "
            f"{corner:.4f}: r = 1 at the corner pixels (distance / corner distance).",
        )
        y, x = np.mgrid[0 : shape[1], 0 : shape[2]].astype(np.float64)
        cy, cx = (shape[1] - 1) / 2, (shape[2] - 1) / 2  # r**2 is 1 at the corner pixels
        want = 1 - strength * ((y - cy) ** 2 + (x - cx) ** 2) / (cy**2 + cx**2)
        require(
            np.allclose(factor, want[None, :, :, None], atol=1e-5),
            f"on images of shape {shape[1:]} the factors differ from 1 - strength * r**2: measure r "
            "from the centre ((h - 1) / 2, (w - 1) / 2), the same for every channel.",
        )
    passed("vignette: 1 - strength * r**2 per pixel, centre to corners, any size and channels")


def check_total_variation(fn: Callable) -> None:
    """Check ``fn(images)``: anisotropic total variation per image, as ``tf.image.total_variation``."""
    flat = np.full((2, 5, 5, 3), 0.7, np.float32)
    zero = keras.ops.convert_to_numpy(fn(flat))
    require(
        zero.shape == (2,),
        f"expected one number per image, shape (2,), got {zero.shape}: sum over height, width and "
        "channels, not over the batch.",
    )
    require(np.allclose(zero, 0), f"a constant image has total variation 0, got {zero}.")
    board = (np.indices((4, 4)).sum(axis=0) % 2).astype(np.float32)[None, :, :, None]
    value = float(keras.ops.convert_to_numpy(fn(board))[0])
    require(
        np.isclose(value, 24),
        f"a 4x4 black-and-white checkerboard has 12 vertical and 12 horizontal neighbour "
        f"differences of 1, total variation 24; got {value:g}.",
    )
    images = np.random.default_rng(6).random((3, 6, 8, 3)).astype(np.float32)
    got = keras.ops.convert_to_numpy(fn(images))
    want = tf.image.total_variation(tf.constant(images)).numpy()
    require(
        np.allclose(got, want, rtol=1e-4),
        f"expected {np.round(want, 3)}, got {np.round(got, 3)}: sum |differences| of vertical and "
        "of horizontal neighbours (not squared), over all channels.",
    )
    passed("total variation: 0 for a constant image, 24 for a 4x4 checkerboard, as tf.image")


def check_lomoencoder(build: Callable, encoder_table, decoder_table) -> None:
    """Check ``build()`` -> ``(autoencoder, encoder, decoder)``: the two tables, that the
    autoencoder is ``decoder(encoder(x))`` with the same (shared) layers, and that
    ``build(12, (64, 96, 3))`` gives 12-number codes of 3:2 frames."""
    built = build()
    require(
        isinstance(built, tuple) and len(built) == 3,
        "build_lomoencoder should return the tuple (autoencoder, encoder, decoder).",
    )
    autoencoder, encoder, decoder = built
    check_summary(encoder, encoder_table)
    check_summary(decoder, decoder_table)
    slow = [
        layer.name
        for layer in encoder.layers + decoder.layers
        if getattr(layer, "momentum", 0.9) != 0.9
    ]
    require(
        not slow,
        f"BatchNormalization layers {slow} keep the default momentum 0.99: use momentum=0.9, so "
        "their running statistics (used by predict) settle within a short training run.",
    )
    x = np.random.default_rng(7).random((2, *encoder_table.rows[0].shape)).astype(np.float32)
    check_same_outputs(
        lambda batch: outputs(decoder, outputs(encoder, batch)),
        lambda batch: outputs(autoencoder, batch),
        x,
        "decoder(encoder(x)) against autoencoder(x)",
    )
    shared = {id(w) for w in encoder.weights + decoder.weights}
    require(
        all(id(w) in shared for w in autoencoder.weights),
        "the autoencoder has weights that the encoder and decoder do not share: build it as "
        "decoder(encoder(image)) from the same two models.",
    )
    passed("the autoencoder is decoder(encoder(x)): training it trains both handles")
    frames = np.random.default_rng(9).random((2, 64, 96, 3)).astype(np.float32)
    try:
        wide, wide_encoder, _ = build(12, (64, 96, 3))
        shapes = (outputs(wide_encoder, frames).shape, outputs(wide, frames).shape)
    except ValueError as error:  # Keras refuses frames of another shape than the model's input
        shapes = f"(an error: {str(error).splitlines()[0][:120]})", "?"
    require(
        shapes == ((2, 12), (2, 64, 96, 3)),
        f"build_lomoencoder(12, (64, 96, 3)) gave codes of shape {shapes[0]} and images of shape "
        f"{shapes[1]}, expected (2, 12) and (2, 64, 96, 3): take the code size from latent_dim and "
        "the decoder's Dense and Reshape size from (h // 8, w // 8, filters[-1]).",
    )
    passed("other code sizes and 3:2 frames (64 x 96) work")


def outputs(model, images: np.ndarray, batch_size: int = 128) -> np.ndarray:
    """``model``'s outputs for ``images`` as a NumPy array, as ``predict`` gives them (inference
    mode), in batches; quicker than ``predict`` for a few images, which first compiles a function."""
    parts = [
        keras.ops.convert_to_numpy(model(images[i : i + batch_size], training=False))
        for i in range(0, len(images), batch_size)
    ]
    return np.concatenate(parts)


def mean_psnr(images: np.ndarray, rebuilt: np.ndarray) -> float:
    """Mean PSNR in dB over the images (pixels in [0, 1]; the MSE floored at 1e-10)."""
    mse = np.mean((np.asarray(images) - np.asarray(rebuilt)) ** 2, axis=(1, 2, 3))
    return float(np.mean(10 * np.log10(1 / np.maximum(mse, 1e-10))))


def check_trained_handles(
    encoder, decoder, autoencoder, fresh, train_photos, test_photos, min_gain: float = 0.5
) -> None:
    """Check the detached handles after training: ``decoder(encoder(x))`` gives what the trained
    ``autoencoder`` gives, and it has learnt from its input. A model that ignores its input can at
    best learn one fixed picture, the mean training photo; on ``test_photos`` the handles' mean
    PSNR must beat that picture's by more than ``min_gain`` dB (``checks.check_margin``). A fresh,
    untrained autoencoder (``fresh``) is measured too, for comparison."""
    test_photos = np.asarray(test_photos, np.float32)
    sample = test_photos[:16]
    check_same_outputs(
        lambda x: outputs(decoder, outputs(encoder, x)),
        lambda x: outputs(autoencoder, x),
        sample,
        "your encoder and decoder handles against the trained autoencoder",
    )
    mine = mean_psnr(test_photos, outputs(decoder, outputs(encoder, test_photos)))
    mean_photo = np.broadcast_to(np.mean(train_photos, axis=0), test_photos.shape)
    constant = mean_psnr(test_photos, mean_photo)
    untrained = mean_psnr(test_photos, outputs(fresh, test_photos))
    print(
        f"held-out PSNR: a fresh, untrained model {untrained:.2f} dB; the mean training photo "
        f"{constant:.2f} dB; your trained handles {mine:.2f} dB"
    )
    try:
        check_margin(
            "your handles' gain over the mean training photo", mine - constant, min_gain, " dB"
        )
    except AssertionError as failed:
        raise AssertionError(
            f"{failed}: run Part C's training cell again, then this one; if it still fails, check "
            "that build_lomoencoder passes the check of Task B1."
        ) from None


def check_fitted_gaussian(fn: Callable) -> None:
    """Check ``fn(codes, n, seed)``: samples of the normal distribution fitted to ``codes``."""
    rng = np.random.default_rng(8)
    mixing = np.array([[2.0, 0.0, 0.0], [1.5, 0.5, 0.0], [0.0, 0.0, 0.3]])
    codes = (rng.standard_normal((3000, 3)) @ mixing.T + [1.0, -2.0, 0.5]).astype(np.float32)
    samples = np.asarray(fn(codes, 40_000, seed=1))
    require(
        samples.shape == (40_000, 3) and samples.dtype == np.float32,
        f"expected float32 samples of shape (40000, 3), got {samples.dtype} {samples.shape}.",
    )
    want_mean, want_cov = codes.mean(axis=0), np.cov(codes, rowvar=False)
    require(
        np.allclose(samples.mean(axis=0), want_mean, atol=0.05),
        f"sample mean {np.round(samples.mean(axis=0), 2)}, the codes' mean {np.round(want_mean, 2)}.",
    )
    got_cov = np.cov(samples, rowvar=False)
    # five standard errors of a covariance estimated from 40,000 normal samples, entry by entry
    variances = np.diag(want_cov)
    tolerance = 5 * np.sqrt((np.outer(variances, variances) + want_cov**2) / len(samples))
    require(
        abs(got_cov[0, 1] - want_cov[0, 1]) < tolerance[0, 1],
        f"the codes' dimensions 0 and 1 are correlated (covariance {want_cov[0, 1]:.2f}), the samples' "
        f"covariance is {got_cov[0, 1]:.2f}: sample with the full covariance matrix "
        "(np.cov(codes, rowvar=False)), not only the variance of each dimension.",
    )
    require(
        np.all(np.abs(got_cov - want_cov) < tolerance),
        f"sample covariance\n{np.round(got_cov, 2)}\ndiffers from the codes'\n{np.round(want_cov, 2)}.",
    )
    wide = np.asarray(fn(codes.astype(np.float64), 10, seed=1))
    require(
        wide.dtype == np.float32,
        f"for float64 codes the samples are {wide.dtype}: return float32 whatever the codes' type.",
    )
    again, other = np.asarray(fn(codes, 5, seed=1)), np.asarray(fn(codes, 5, seed=2))
    require(
        np.array_equal(again, np.asarray(fn(codes, 5, seed=1)))
        and not np.array_equal(again, other),
        "the same seed must give the same samples and another seed other samples.",
    )
    passed("samples have the codes' mean and full covariance, float32, seeded")


def _numpy(value) -> np.ndarray:
    return np.asarray(keras.ops.convert_to_numpy(value), np.float64)


def check_add_noise(fn: Callable) -> None:
    """Check ``fn(latents, noises, signal_rates)``: ``s * latents + sqrt(1 - s**2) * noises`` with
    ``s`` of shape (n, 1, 1, 1), on NumPy arrays and on tensors inside a compiled function."""
    rng = np.random.default_rng(10)
    latents, noises = rng.standard_normal((2, 3, 4, 5, 2)).astype(np.float32)
    rates = rng.uniform(0.1, 0.95, (3, 1, 1, 1)).astype(np.float32)
    inputs = [latents.copy(), noises.copy(), rates.copy()]
    got = _numpy(fn(latents, noises, rates))
    require(
        all(np.array_equal(a, b) for a, b in zip(inputs, [latents, noises, rates], strict=True)),
        "add_noise changed its input: compute new arrays.",
    )
    want = rates * latents + np.sqrt(1 - rates**2) * noises
    require(
        got.shape == latents.shape,
        f"expected noisy latents of the latents' shape {latents.shape}, got {got.shape}.",
    )
    for rate, which in [(1.0, "latents"), (0.0, "noises")]:
        ends = _numpy(fn(latents, noises, np.full((3, 1, 1, 1), rate, np.float32)))
        require(
            np.allclose(ends, latents if rate else noises, atol=1e-5),
            f"at signal rate {rate:g} the noisy latents should be the {which} themselves.",
        )
    formula = "the noisy latents differ from s * latents + sqrt(1 - s**2) * noises"
    noise_rates = {"1 - s": 1 - rates, "1 - s**2 (no square root)": 1 - rates**2}
    for wrong, noise_rate in (noise_rates | {"sqrt(1 - s)": np.sqrt(1 - rates)}).items():
        require(
            not np.allclose(got, rates * latents + noise_rate * noises, atol=1e-5),
            f"{formula}: the noise rate is sqrt(1 - s**2), not {wrong}.",
        )
    require(
        np.allclose(got, want, atol=1e-5),
        f"{formula}, with s = signal_rates: one rate per latent, broadcast over its cells.",
    )
    try:
        traced = tf.function(fn)(tf.constant(latents), tf.constant(noises), tf.constant(rates))
        failure = None
    except Exception as error:  # NumPy functions cannot run on the training step's tensors
        failure = type(error).__name__
    require(
        failure is None,
        f"add_noise fails on tensors in a compiled function ({failure}): it runs inside the "
        "training step, so use keras.ops (ops.sqrt), not NumPy.",
    )
    require(np.allclose(_numpy(traced), want, atol=1e-5), "on tensors the results differ.")
    big, noise = rng.standard_normal((2, 2000, 4, 4, 2)).astype(np.float32)
    spread = float(np.std(_numpy(fn(big, noise, np.full((2000, 1, 1, 1), 0.6, np.float32)))))
    print(f"standardised latents, noised at signal rate 0.6: standard deviation {spread:.3f}")
    passed("noisy latents: s * z + sqrt(1 - s**2) * noise, per latent, on arrays and tensors")


def check_ddim_step(fn: Callable) -> None:
    """Check ``fn(noisy, predicted_noise, signal_rate, next_signal_rate)`` -> ``(next_noisy,
    predicted_latents)``, one DDIM step, against the formulas on fresh inputs."""
    rng = np.random.default_rng(11)
    latents, noises = rng.standard_normal((2, 4, 6, 6, 3))
    rate, next_rate = 0.6, 0.8
    noisy = rate * latents + np.sqrt(1 - rate**2) * noises
    keep = noisy.copy()
    out = fn(noisy, noises, rate, next_rate)
    require(
        isinstance(out, tuple) and len(out) == 2,
        "ddim_step should return the tuple (next_noisy, predicted_latents).",
    )
    following, predicted = (_numpy(part) for part in out)
    require(np.array_equal(noisy, keep), "ddim_step changed its input: compute new arrays.")
    require(
        not np.allclose(following, latents, atol=1e-5),
        "ddim_step returned (predicted_latents, next_noisy): return (next_noisy, predicted_latents).",
    )
    require(
        np.allclose(predicted, latents, atol=1e-5),
        "given the very noise that was added, the predicted latents must be the clean latents: "
        "(noisy - sqrt(1 - s**2) * predicted_noise) / s.",
    )
    require(
        np.allclose(following, next_rate * latents + np.sqrt(1 - next_rate**2) * noises, atol=1e-5),
        "the next noisy latents should be the predicted latents noised again at the next signal "
        "rate with the predicted noise: s_next * predicted + sqrt(1 - s_next**2) * noise.",
    )
    guess = rng.standard_normal(noisy.shape)  # a denoiser's guess is not the true noise
    following, predicted = (_numpy(part) for part in fn(noisy, guess, 0.3, 0.5))
    want = (noisy - np.sqrt(1 - 0.3**2) * guess) / 0.3
    require(np.allclose(predicted, want, atol=1e-4), "with another noise guess the latents differ.")
    require(
        np.allclose(following, 0.5 * want + np.sqrt(1 - 0.5**2) * guess, atol=1e-4),
        "with another noise guess the next noisy latents differ.",
    )
    passed("one DDIM step: clean latents from the predicted noise, noised again at the next rate")
