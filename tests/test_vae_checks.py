"""Lab 04's checks pass on the solution's answers, catch the seed projects' bugs, and explain
the usual mistakes. The answers are read from the solution notebook, not written here."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers, ops

from course_tools import ROOT, notebook
from helpers import checks, summaries, vae_checks

LAB = "04_variational_autoencoder"


@pytest.fixture(scope="module")
def lab():
    """The solution's graded answers and the seed projects' functions, defined as in the notebook."""
    namespace = {
        "keras": keras,
        "layers": layers,
        "ops": ops,
        "np": np,
        "tf": tf,
        "checks": checks,
        "vae_checks": vae_checks,
    }
    for cell in notebook(ROOT / "solutions", LAB).cells:
        graded = cell.metadata.get("nbgrader", {}).get("solution")
        if cell.cell_type == "code" and (graded or cell.source.startswith("def seed_")):
            exec(cell.source, namespace)
    return namespace


def test_checks_pass_on_the_solution(lab):
    vae_checks.check_sampling(lab["Sampling"])
    vae_checks.check_encoder(lab["build_encoder"], summaries.LAB04_ENCODER)
    vae_checks.check_decoder(lab["build_decoder"], summaries.LAB04_DECODER)
    vae_checks.check_reconstruction_loss(lab["reconstruction_loss"])
    vae_checks.check_kl(lab["kl_divergence"])
    vae_checks.check_negative_elbo(lab["negative_elbo"])
    vae_checks.check_prior_samples(lab["sample_prior"])


@pytest.mark.parametrize(
    "check, seed_function, message",
    [
        ("check_reconstruction_loss", "seed_reconstruction_loss", "3.00 times too small"),
        ("check_negative_elbo", "seed_negative_elbo", "does not change when z_mean changes"),
        ("check_prior_samples", "seed_prior_samples", "uniform range"),
    ],
)
def test_checks_find_the_seed_projects_bugs(lab, check, seed_function, message):
    with pytest.raises(AssertionError, match=message):
        getattr(vae_checks, check)(lab[seed_function])


def test_expect_bug_prints_the_finding_and_refuses_correct_code(lab, capsys):
    checks.expect_bug(vae_checks.check_prior_samples, lab["seed_prior_samples"])
    assert capsys.readouterr().out.startswith("[BUG FOUND] seed_prior_samples: ")
    with pytest.raises(AssertionError, match="known bug"):
        checks.expect_bug(vae_checks.check_prior_samples, lab["sample_prior"])


class SigmaIsTheVariance(layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        eps = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(z_log_var) * eps


class IntegerSeed(SigmaIsTheVariance):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        eps = keras.random.normal(ops.shape(z_mean), seed=7)
        return z_mean + ops.exp(0.5 * z_log_var) * eps


@pytest.mark.parametrize(
    "layer, message",
    [(SigmaIsTheVariance, "exp\\(0.5 \\* log_var\\)"), (IntegerSeed, "same seed must give")],
)
def test_check_sampling_explains_the_usual_mistakes(layer, message):
    with pytest.raises(AssertionError, match=message):
        vae_checks.check_sampling(layer)


def test_check_kl_and_reconstruction_want_one_number_per_image():
    with pytest.raises(AssertionError, match="one number per image"):
        vae_checks.check_kl(lambda m, v: ops.sum(m**2 + ops.exp(v) - 1 - v) / 2)
    with pytest.raises(AssertionError, match="one number per image"):
        vae_checks.check_reconstruction_loss(
            lambda x, p: ops.sum(ops.binary_crossentropy(x, p), axis=-1)
        )


def test_lab04_summaries_add_up():
    assert summaries.LAB04_ENCODER.params == 29_972
    assert summaries.LAB04_DECODER.params == 18_721


def test_checks_refuse_numpy_answers_that_cannot_run_in_a_training_step():
    def numpy_kl(m, v):
        m, v = np.asarray(m, np.float64), np.asarray(v, np.float64)
        return 0.5 * np.sum(m**2 + np.exp(v) - 1 - v, axis=-1)

    with pytest.raises(AssertionError, match="inside a compiled training step"):
        vae_checks.check_kl(numpy_kl)


def test_check_negative_elbo_wants_beta_on_the_kl_only(lab):
    def beta_everywhere(x, x_rec, z_mean, z_log_var, beta=1.0):
        return beta * lab["negative_elbo"](x, x_rec, z_mean, z_log_var)

    with pytest.raises(AssertionError, match="beta=0"):
        vae_checks.check_negative_elbo(beta_everywhere)


class NumpyNoise(SigmaIsTheVariance):
    """Seeded NumPy noise: right in eager mode, impossible on symbolic tensors."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(seed, **kwargs)
        self.rng = np.random.default_rng(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        eps = self.rng.standard_normal(tuple(z_mean.shape)).astype(np.float32)
        return z_mean + ops.exp(0.5 * z_log_var) * eps


def test_check_sampling_wants_symbolic_inputs_to_work():
    with pytest.raises(AssertionError, match="symbolic keras.Input"):
        vae_checks.check_sampling(NumpyNoise)
