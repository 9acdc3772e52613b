import keras
import numpy as np
import pytest

from helpers.training import build_optimizer, warmup_cosine_adam


def test_warm_up_then_cosine_to_zero():
    optimizer = warmup_cosine_adam(1000, peak_learning_rate=0.01, warmup_steps=100)
    schedule = optimizer._learning_rate
    rates = [float(keras.ops.convert_to_numpy(schedule(step))) for step in (0, 50, 100, 550, 1000)]
    assert np.allclose(rates, [0.0, 0.005, 0.01, 0.005, 0.0], atol=1e-6)


def test_short_runs_warm_up_for_a_quarter_at_most():
    schedule = warmup_cosine_adam(40, peak_learning_rate=1.0, warmup_steps=200)._learning_rate
    assert np.isclose(float(keras.ops.convert_to_numpy(schedule(10))), 1.0)


def test_an_empty_run_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        warmup_cosine_adam(0, 0.01)


class CountingModel(keras.Sequential):
    """Counts how often Keras traces its training step."""

    traces = 0

    def train_step(self, data):
        self.traces += 1
        return super().train_step(data)


def fitted(build_first: bool) -> CountingModel:
    keras.utils.set_random_seed(0)
    model = CountingModel([keras.Input((4,)), keras.layers.Dense(2)])
    model.compile(optimizer=warmup_cosine_adam(8, 0.01, 2), loss="mse")
    if build_first:
        build_optimizer(model)
    data = np.random.default_rng(0).random((64, 4)).astype("float32")
    model.fit(data, data[:, :2], batch_size=16, epochs=2, verbose=0)
    return model


def test_a_built_optimizer_traces_the_training_step_once_with_the_same_result():
    built, deferred = fitted(True), fitted(False)
    assert built.traces == 1 and deferred.traces == 2
    for a, b in zip(built.get_weights(), deferred.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_build_optimizer_needs_a_compiled_built_model():
    with pytest.raises(ValueError, match="Compile the model first"):
        build_optimizer(keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)]))
    unbuilt = keras.Sequential([keras.layers.Dense(2)])
    unbuilt.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="no trainable variables yet"):
        build_optimizer(unbuilt)
