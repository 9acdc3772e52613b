"""Lab 05's latent diffusion (helpers/diffusion.py): shapes, the schedule, the training step and
DDIM sampling, with the formulas of the lab's two tasks written here as references."""

import keras
import numpy as np
import pytest
from keras import ops

from helpers import diffusion


def add_noise(latents, noises, rates):
    return rates * latents + ops.sqrt(1 - rates**2) * noises


def ddim_step(noisy, noise, rate, next_rate):
    latents = (noisy - np.sqrt(1 - rate**2) * noise) / rate
    return next_rate * latents + np.sqrt(1 - next_rate**2) * noise, latents


def test_signal_rates_fall_from_max_to_min():
    rates = ops.convert_to_numpy(diffusion.signal_rates(np.linspace(0, 1, 11)))
    assert np.isclose(rates[0], diffusion.MAX_SIGNAL_RATE)
    assert np.isclose(rates[-1], diffusion.MIN_SIGNAL_RATE)
    assert (np.diff(rates) < 0).all()


def test_latent_autoencoder_keeps_the_layout_at_a_quarter_of_the_size():
    autoencoder, encoder, decoder = diffusion.build_latent_autoencoder((32, 48, 3), channels=5)
    x = np.random.default_rng(0).random((2, 32, 48, 3)).astype(np.float32)
    assert tuple(encoder(x).shape) == (2, 8, 12, 5)
    assert tuple(autoencoder(x).shape) == (2, 32, 48, 3)
    assert np.allclose(decoder(encoder(x)), autoencoder(x), atol=1e-6)


def test_denoiser_predicts_noise_of_the_latents_shape_and_starts_at_zero():
    denoiser = diffusion.build_denoiser((8, 8, 3), widths=(8, 16), depth=1)
    noisy = np.random.default_rng(1).standard_normal((4, 8, 8, 3)).astype(np.float32)
    out = ops.convert_to_numpy(denoiser([noisy, np.full((4, 1, 1, 1), 0.5, np.float32)]))
    assert out.shape == (4, 8, 8, 3) and np.allclose(out, 0)  # the last layer starts at zero


def test_noise_embedding_tells_noise_levels_apart():
    embedding = diffusion.NoiseEmbedding(frequencies=4)
    features = ops.convert_to_numpy(embedding(np.array([0.1, 0.2], np.float32).reshape(2, 1, 1, 1)))
    assert features.shape == (2, 1, 1, 8) and not np.allclose(features[0], features[1])


def test_training_step_uses_the_given_noising_and_moves_the_average():
    keras.utils.set_random_seed(0)
    calls = []

    def spy(latents, noises, rates):
        calls.append(1)
        return add_noise(latents, noises, rates)

    shape = (8, 8, 2)
    denoiser = diffusion.build_denoiser(shape, widths=(8, 16), depth=1)
    average = diffusion.build_denoiser(shape, widths=(8, 16), depth=1)
    model = diffusion.LatentDiffusion(denoiser, average, spy, ema_decay=0.5)
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    latents = np.random.default_rng(2).standard_normal((32, *shape)).astype(np.float32)
    history = model.fit(latents, batch_size=16, epochs=2, verbose=0)
    assert calls and np.isfinite(history.history["noise_loss"]).all()
    assert not average.trainable
    last, slow = denoiser.get_weights()[-2], average.get_weights()[-2]  # the output kernel
    assert not np.allclose(last, slow) and not np.allclose(slow, 0)


class Oracle(keras.Model):
    """A denoiser that knows the clean latents: it returns the exact noise in its input."""

    def __init__(self, clean):
        super().__init__()
        self.clean = clean

    def call(self, inputs):
        noisy, variance = inputs
        rate = ops.sqrt(1 - variance)
        return (noisy - rate * self.clean) / ops.sqrt(variance)


def test_sampling_with_an_oracle_lands_on_its_latents_deterministically():
    rng = np.random.default_rng(3)
    clean = rng.standard_normal((3, 4, 4, 2)).astype(np.float32)
    noises = rng.standard_normal(clean.shape).astype(np.float32)
    oracle = Oracle(clean)
    once = diffusion.sample(oracle, noises, 5, ddim_step)
    assert np.allclose(once, clean, atol=1e-4)
    assert np.array_equal(once, diffusion.sample(oracle, noises, 5, ddim_step))


def test_slerp_starts_and_ends_at_the_noises_and_keeps_their_size():
    a, b = np.random.default_rng(4).standard_normal((2, 16, 16, 8)).astype(np.float32)
    path = diffusion.slerp(a, b, np.linspace(0, 1, 5))
    assert np.allclose(path[0], a, atol=1e-5) and np.allclose(path[-1], b, atol=1e-5)
    norms = np.linalg.norm(path.reshape(5, -1), axis=1)
    assert np.allclose(norms, np.linalg.norm(a), rtol=0.05)
    blend = np.linalg.norm((a + b) / 2)
    assert norms[2] > 1.2 * blend  # a straight blend shrinks, slerp does not


@pytest.mark.parametrize("steps", [1, 3])
def test_sample_calls_ddim_step_once_per_step(steps):
    calls = []

    def counting(*args):
        calls.append(args[2:])
        return ddim_step(*args)

    noises = np.ones((2, 4, 4, 2), np.float32)
    diffusion.sample(Oracle(np.zeros_like(noises)), noises, steps, counting)
    assert len(calls) == steps and calls[0][0] < calls[-1][1]  # rates rise from noise to signal
