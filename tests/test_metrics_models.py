import keras
import numpy as np
import pytest

from helpers import metrics, models


def test_reconstruction_metrics_against_keras_and_by_hand():
    rng = np.random.default_rng(0)
    x, p = rng.random((5, 28, 28, 1)), rng.random((5, 28, 28, 1))
    got = metrics.reconstruction_metrics(x, p)
    keras_bce = np.mean(keras.losses.binary_crossentropy(x.reshape(5, -1), p.reshape(5, -1)))
    assert np.isclose(got["bce"], keras_bce, rtol=1e-4)
    assert np.isclose(got["mse"], np.mean((x - p) ** 2))
    pair = metrics.reconstruction_metrics(np.zeros((2, 4)), np.array([[0.1] * 4, [0.2] * 4]))
    assert np.isclose(pair["psnr"], (20 + 10 * np.log10(25)) / 2)  # mean of per-image PSNRs
    assert metrics.reconstruction_metrics(x, x)["psnr"] == pytest.approx(100.0)


def test_reconstruction_metrics_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="must match"):
        metrics.reconstruction_metrics(np.zeros((2, 784)), np.zeros((2, 28, 28)))


def test_lab01_reference_models():
    simple, deep = models.simple_dense_autoencoder(), models.deep_dense_autoencoder()
    assert (simple.count_params(), deep.count_params()) == (50_992, 222_384)
    code_sizes = [model.get_layer("code").output.shape[-1] for model in (simple, deep)]
    assert code_sizes == [32, 32]
    out = np.asarray(deep(np.random.default_rng(1).random((3, 784)).astype("float32")))
    assert out.shape == (3, 784) and 0 < out.min() and out.max() < 1
