"""Lab 05's checks pass on the solution's answers and explain the usual mistakes. The answers are
read from the solution notebook, not written here."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers, ops

from course_tools import ROOT, notebook
from helpers import lomo_checks, summaries

LAB = "05_lomography"


@pytest.fixture(scope="module")
def lab():
    """The solution's graded answers, defined as in the notebook."""
    namespace = {"keras": keras, "layers": layers, "ops": ops, "np": np, "tf": tf}
    for cell in notebook(ROOT / "solutions", LAB).cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            exec(cell.source, namespace)
    return namespace


def test_checks_pass_on_the_solution(lab):
    lomo_checks.check_vignette(lab["vignette"])
    lomo_checks.check_total_variation(lab["total_variation"])
    lomo_checks.check_fitted_gaussian(lab["sample_fitted_gaussian"])
    lomo_checks.check_lomoencoder(
        lab["build_lomoencoder"], summaries.LAB05_ENCODER, summaries.LAB05_DECODER
    )


def test_check_vignette_explains_a_wrong_centre():
    def off_centre(images, strength):
        h, w = images.shape[1:3]
        y, x = np.indices((h, w))
        r2 = ((y - h / 2) ** 2 + (x - w / 2) ** 2) / ((h / 2) ** 2 + (w / 2) ** 2)
        return (images * (1 - strength * r2)[None, :, :, None]).astype(np.float32)

    with pytest.raises(AssertionError, match="measure r from the centre"):
        lomo_checks.check_vignette(off_centre)


def test_check_total_variation_explains_squares_and_batch_sums():
    def squared(images):
        return tf.reduce_sum(
            tf.square(images[:, 1:] - images[:, :-1]), axis=(1, 2, 3)
        ) + tf.reduce_sum(tf.square(images[:, :, 1:] - images[:, :, :-1]), axis=(1, 2, 3))

    with pytest.raises(AssertionError, match="not squared"):
        lomo_checks.check_total_variation(squared)
    with pytest.raises(AssertionError, match="one number per image"):
        lomo_checks.check_total_variation(
            lambda images: tf.image.total_variation(tf.constant(images))[:1]
        )


def test_check_lomoencoder_refuses_an_autoencoder_with_its_own_layers(lab):
    def copies():
        autoencoder, encoder, decoder = lab["build_lomoencoder"]()
        other, _, _ = lab["build_lomoencoder"]()
        return other, encoder, decoder

    with pytest.raises(AssertionError, match="share the trained layers"):
        lomo_checks.check_lomoencoder(copies, summaries.LAB05_ENCODER, summaries.LAB05_DECODER)


def test_lab05_summaries_add_up():
    assert summaries.LAB05_ENCODER.params == 1_072_752
    assert summaries.LAB05_DECODER.params == 1_113_459


def test_check_fitted_gaussian(lab):
    lomo_checks.check_fitted_gaussian(lab["sample_fitted_gaussian"])

    def independent(codes, n, seed=None):
        rng = np.random.default_rng(seed)
        return (
            codes.mean(axis=0) + codes.std(axis=0) * rng.standard_normal((n, codes.shape[1]))
        ).astype(np.float32)

    with pytest.raises(AssertionError, match="full covariance"):
        lomo_checks.check_fitted_gaussian(independent)


def test_check_fitted_gaussian_wants_float32_for_float64_codes(lab):
    def keeps_dtype(codes, n, seed=None):
        return lab["sample_fitted_gaussian"](codes, n, seed).astype(np.asarray(codes).dtype)

    with pytest.raises(AssertionError, match="float32 whatever"):
        lomo_checks.check_fitted_gaussian(keeps_dtype)


def test_check_lomoencoder_wants_the_arguments_used(lab):
    def square_only(latent_dim=256, shape=(64, 64, 3)):
        return lab["build_lomoencoder"](256, (64, 64, 3))

    with pytest.raises(AssertionError, match="latent_dim"):
        lomo_checks.check_lomoencoder(square_only, summaries.LAB05_ENCODER, summaries.LAB05_DECODER)


def _handles(decode):
    """(encoder, decoder, autoencoder) on 8x8 RGB images: the identity code, ``decode`` after it."""
    image = keras.Input((8, 8, 3))
    encoder = keras.Model(image, layers.Identity()(image))
    code = keras.Input((8, 8, 3))
    decoder = keras.Model(code, decode(code))
    photo = keras.Input((8, 8, 3))
    return encoder, decoder, keras.Model(photo, decoder(encoder(photo)))


def test_check_trained_handles_passes_a_model_that_learnt_and_records_its_margin():
    from helpers import checks

    rng = np.random.default_rng(0)
    train, test = (rng.random((n, 8, 8, 3)).astype(np.float32) for n in (40, 20))
    fresh = _handles(lambda code: layers.Lambda(lambda t: t * 0 + 0.5)(code))[2]
    blurred = _handles(lambda code: layers.AveragePooling2D(2, 1, padding="same")(code))
    lomo_checks.check_trained_handles(*blurred, fresh, train, test)
    assert checks.MARGINS["your handles' gain over the mean training photo"] > 0


def test_check_trained_handles_fails_a_model_that_ignores_its_input():
    rng = np.random.default_rng(1)
    train, test = (rng.random((n, 8, 8, 3)).astype(np.float32) for n in (40, 20))
    mean = train.mean(axis=0)
    fresh = _handles(lambda code: layers.Lambda(lambda t: t * 0 + 0.5)(code))[2]
    still = _handles(lambda code: layers.Lambda(lambda t: t * 0 + mean)(code))
    with pytest.raises(AssertionError, match="gain over the mean training photo"):
        lomo_checks.check_trained_handles(*still, fresh, train, test)


def test_check_trained_handles_refuses_handles_that_are_not_the_autoencoders_parts():
    rng = np.random.default_rng(2)
    train, test = (rng.random((n, 8, 8, 3)).astype(np.float32) for n in (40, 20))
    encoder, decoder, _ = _handles(lambda code: layers.Identity()(code))
    other = _handles(lambda code: layers.Lambda(lambda t: t * 0.5)(code))[2]
    with pytest.raises(AssertionError, match="share the trained layers"):
        lomo_checks.check_trained_handles(encoder, decoder, other, other, train, test)


def test_checks_pass_on_the_diffusion_answers(lab):
    lomo_checks.check_add_noise(lab["add_noise"])
    lomo_checks.check_ddim_step(lab["ddim_step"])


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (lambda latents, noises, rates: latents, "the noises themselves"),  # ignores the noise
        (lambda latents, noises, rates: rates * latents + (1 - rates) * noises, "not 1 - s\\."),
        (lambda latents, noises, rates: rates * latents + (1 - rates**2) * noises, "no square"),
        (
            lambda latents, noises, rates: rates * latents + ops.sqrt(1 - rates) * noises,
            "sqrt\\(1 - s\\)",
        ),
        (
            lambda latents, noises, rates: (
                rates[:1] * latents + ops.sqrt(1 - rates[:1] ** 2) * noises
            ),
            "one rate per latent",
        ),
        (lambda latents, noises, rates: rates * latents + np.sqrt(1 - rates**2) * noises, "NumPy"),
    ],
)
def test_check_add_noise_explains_the_usual_mistakes(answer, message):
    with pytest.raises(AssertionError, match=message):
        lomo_checks.check_add_noise(answer)


def test_check_add_noise_refuses_an_answer_that_changes_its_input():
    def in_place(latents, noises, rates):
        latents *= rates
        return latents + ops.sqrt(1 - rates**2) * noises

    with pytest.raises(AssertionError, match="changed its input"):
        lomo_checks.check_add_noise(in_place)


def test_check_ddim_step_fails_a_lazy_a_swapped_and_a_fresh_noise_answer(lab):
    with pytest.raises(AssertionError, match="clean latents"):
        lomo_checks.check_ddim_step(lambda noisy, noise, rate, next_rate: (noisy, noisy))
    with pytest.raises(AssertionError, match="return \\(next_noisy, predicted_latents\\)"):
        lomo_checks.check_ddim_step(lambda *args: lab["ddim_step"](*args)[::-1])

    def fresh_noise(noisy, noise, rate, next_rate):  # DDPM-like: new noise, not the predicted one
        _, latents = lab["ddim_step"](noisy, noise, rate, next_rate)
        other = np.random.default_rng(0).standard_normal(np.shape(noisy))
        return next_rate * latents + np.sqrt(1 - next_rate**2) * other, latents

    with pytest.raises(AssertionError, match="predicted noise"):
        lomo_checks.check_ddim_step(fresh_noise)
