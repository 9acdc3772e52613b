import keras
import numpy as np
import pytest

from helpers.training import warmup_cosine_adam


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
