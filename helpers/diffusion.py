"""Given code of Lab 05's Part H, latent diffusion: an autoencoder with a spatial latent, a
denoiser for its latents, the training step and DDIM sampling (Ho et al. 2020, DDPM; Song et al.
2021, DDIM; Rombach et al. 2022, latent diffusion; the schedule and the network follow the keras-io
example "Denoising Diffusion Implicit Models"). The two formulas of the lesson, the forward noising
and one DDIM step, are the student's: the training step and the sampler take them as arguments."""

from __future__ import annotations

import math
from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

MIN_SIGNAL_RATE, MAX_SIGNAL_RATE = 0.02, 0.995  # at diffusion times 1 (all noise) and 0


def signal_rates(times):
    """The signal rate at diffusion times in [0, 1] (cosine schedule): from ``MAX_SIGNAL_RATE``
    at 0 down to ``MIN_SIGNAL_RATE`` at 1. The noise rate is ``sqrt(1 - signal_rate**2)``."""
    start, end = math.acos(MAX_SIGNAL_RATE), math.acos(MIN_SIGNAL_RATE)
    return ops.cos(start + ops.convert_to_tensor(times, "float32") * (end - start))


def build_latent_autoencoder(shape=(64, 64, 3), channels=8, width=32):
    """Return ``(autoencoder, encoder, decoder)`` with a spatial latent of shape
    ``(h // 4, w // 4, channels)``: two stride-2 convolutions down, two transposed ones up, so
    that no convolution runs at full resolution but the last one. Built once, as in Task B1."""

    def conv(x, n, **options):
        return layers.Conv2D(n, 3, padding="same", activation="relu", **options)(x)

    def up(x):  # twice the height and width
        return layers.Conv2DTranspose(width, 4, strides=2, padding="same", activation="relu")(x)

    image = keras.Input(shape)
    x = conv(conv(image, width, strides=2), width)
    x = conv(conv(x, 2 * width, strides=2), 2 * width)
    encoder = keras.Model(image, layers.Conv2D(channels, 1)(x), name="latent_encoder")
    latent = keras.Input(encoder.output.shape[1:])
    x = conv(conv(latent, 2 * width), 2 * width)
    x = up(conv(up(x), width))
    out = layers.Conv2D(shape[-1], 3, padding="same", activation="sigmoid")(x)
    decoder = keras.Model(latent, out, name="latent_decoder")
    photo = keras.Input(shape)
    return keras.Model(photo, decoder(encoder(photo)), name="latent_autoencoder"), encoder, decoder


class NoiseEmbedding(layers.Layer):
    """Sinusoidal features of the noise variance, (n, 1, 1, 1) -> (n, 1, 1, 2 * frequencies),
    so that the network can tell a little noise from a lot (frequencies 1 to 1,000)."""

    def __init__(self, frequencies=16, **kwargs):
        super().__init__(**kwargs)
        self.frequencies = frequencies

    def call(self, variance):
        angular = 2 * math.pi * ops.exp(ops.linspace(0.0, math.log(1000.0), self.frequencies))
        return ops.concatenate([ops.sin(angular * variance), ops.cos(angular * variance)], axis=3)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:3], 2 * self.frequencies)


def _residual(x, n):
    skip = x if x.shape[-1] == n else layers.Conv2D(n, 1)(x)
    x = layers.BatchNormalization(center=False, scale=False)(x)
    x = layers.Conv2D(n, 3, padding="same", activation="swish")(x)
    return layers.Add()([layers.Conv2D(n, 3, padding="same")(x), skip])


def build_denoiser(latent_shape, widths=(32, 64, 96), depth=2):
    """A small U-Net: (noisy latents, noise variance (n, 1, 1, 1)) -> the predicted noise. Each
    level but the last has ``depth`` residual blocks and halves the size; the way up mirrors it,
    with the way down's features concatenated (skip connections)."""
    noisy, variance = keras.Input(latent_shape), keras.Input((1, 1, 1))
    embedding = layers.UpSampling2D(latent_shape[0])(NoiseEmbedding()(variance))
    x = layers.Concatenate()([layers.Conv2D(widths[0], 1)(noisy), embedding])
    skips = []
    for n in widths[:-1]:
        for _ in range(depth):
            x = _residual(x, n)
            skips.append(x)
        x = layers.AveragePooling2D(2)(x)
    for _ in range(depth):
        x = _residual(x, widths[-1])
    for n in reversed(widths[:-1]):
        x = layers.UpSampling2D(2, interpolation="bilinear")(x)
        for _ in range(depth):
            x = _residual(layers.Concatenate()([x, skips.pop()]), n)
    noise = layers.Conv2D(latent_shape[-1], 1, kernel_initializer="zeros")(x)
    return keras.Model([noisy, variance], noise, name="denoiser")


class LatentDiffusion(keras.Model):
    """Trains ``denoiser`` with the DDPM objective on standardised latents: noise each batch at
    random diffusion times with ``add_noise(latents, noises, signal_rates)`` (your Task H1) and
    learn to predict the noise (mean absolute error). ``ema`` is a copy whose weights follow the
    denoiser's as an exponential moving average (``ema_decay``): it samples better."""

    def __init__(self, denoiser, ema, add_noise: Callable, ema_decay=0.99, **kwargs):
        super().__init__(**kwargs)
        self.denoiser, self.ema, self.add_noise = denoiser, ema, add_noise
        self.ema_decay = ema_decay
        self.ema.set_weights(denoiser.get_weights())
        self.ema.trainable = False  # it follows the denoiser, the optimizer does not train it
        self.tracker = keras.metrics.Mean(name="noise_loss")

    @property
    def metrics(self):
        return [self.tracker]

    def train_step(self, data):
        latents = data[0] if isinstance(data, tuple) else data
        noises = keras.random.normal(ops.shape(latents))
        rates = signal_rates(keras.random.uniform((ops.shape(latents)[0], 1, 1, 1)))
        noisy = self.add_noise(latents, noises, rates)
        with tf.GradientTape() as tape:
            predicted = self.denoiser([noisy, 1 - rates**2], training=True)
            loss = ops.mean(ops.abs(noises - predicted))
        weights = self.denoiser.trainable_weights
        self.optimizer.apply(tape.gradient(loss, weights), weights)
        for average, weight in zip(self.ema.weights, self.denoiser.weights, strict=True):
            average.assign(self.ema_decay * average + (1 - self.ema_decay) * weight)
        self.tracker.update_state(loss)
        return {"noise_loss": self.tracker.result()}


def sample(denoiser, noises: np.ndarray, steps: int, ddim_step: Callable) -> np.ndarray:
    """DDIM sampling: from ``noises`` (pure noise, diffusion time 1) to latents, in ``steps``
    steps of ``ddim_step(noisy, predicted_noise, signal_rate, next_signal_rate)`` (your Task H2),
    which returns ``(next_noisy, predicted_latents)``. Deterministic: the same noises give the
    same latents. Returns the last step's predicted latents. All noises go through the denoiser
    in one batch (``predict_on_batch``: compiled once, quicker than ``predict`` for a few
    hundred latents)."""
    noisy = np.asarray(noises, np.float32)
    rates = ops.convert_to_numpy(signal_rates(np.linspace(1.0, 0.0, steps + 1)))
    for rate, next_rate in zip(rates[:-1], rates[1:], strict=True):
        variance = np.full((len(noisy), 1, 1, 1), 1 - rate**2, np.float32)
        predicted = denoiser.predict_on_batch([noisy, variance])
        noisy, latents = ddim_step(noisy, predicted, float(rate), float(next_rate))
        noisy = np.asarray(noisy, np.float32)
    return np.asarray(latents, np.float32)


def slerp(a: np.ndarray, b: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """Spherical interpolation between two noise tensors, one per alpha in [0, 1]: every step
    stays as long as a noise of that size is (a straight blend would shrink it in the middle)."""
    flat_a, flat_b = np.ravel(a), np.ravel(b)
    cos = np.dot(flat_a, flat_b) / (np.linalg.norm(flat_a) * np.linalg.norm(flat_b))
    angle = np.arccos(np.clip(cos, -1, 1))
    weights = [(np.sin((1 - t) * angle), np.sin(t * angle)) for t in alphas]
    return np.stack([(wa * a + wb * b) / np.sin(angle) for wa, wb in weights]).astype(np.float32)
