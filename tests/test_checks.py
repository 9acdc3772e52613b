import keras
import numpy as np
import pytest

from helpers import checks, summaries

TABLE = checks.Summary(
    "tiny",
    (
        checks.Row("InputLayer", (10,), 0),
        checks.Row("Dense", (4,), 44, "Is it Dense(4)?", "relu", "code"),
        checks.Row("Dense", (10,), 50, activation="sigmoid"),
    ),
)


def chain(*sizes, activations=("relu", "sigmoid"), names=("code",), model_name="tiny"):
    inputs = keras.Input((10,))
    x = inputs
    for i, units in enumerate(sizes):
        name = names[i] if i < len(names) else f"d{i}"
        activation = activations[i] if i < len(activations) else None
        x = keras.layers.Dense(units, activation=activation, name=name)(x)
    return keras.Model(inputs, x, name=model_name)


def test_check_summary_passes_and_says_so(capsys):
    checks.check_summary(chain(4, 10), TABLE)
    out = capsys.readouterr().out
    assert "[PASS] tiny: name and all 3 rows match the summary (94 parameters)" in out


def test_check_summary_names_the_differing_row_and_hint():
    with pytest.raises(
        AssertionError,
        match=r"\[FAIL\] tiny, row 1 .*expected output shape \(4,\), got \(5,\)\. Is it Dense\(4\)\?",
    ):
        checks.check_summary(chain(5, 10), TABLE)


def test_check_summary_checks_model_name_activations_and_layer_names():
    with pytest.raises(AssertionError, match="named 'model'.*name it 'tiny'"):
        checks.check_summary(chain(4, 10, model_name="model"), TABLE)
    with pytest.raises(AssertionError, match="row 2 .*expected activation 'sigmoid', got 'linear'"):
        checks.check_summary(chain(4, 10, activations=("relu", None)), TABLE)
    with pytest.raises(AssertionError, match="row 1 .*name this layer 'code'.*not 'dense'"):
        checks.check_summary(chain(4, 10, names=("dense",)), TABLE)


def test_check_summary_missing_and_extra_layers():
    longer = checks.Summary("tiny", (*TABLE.rows[:2], checks.Row("Dense", (4,), 20), TABLE.rows[2]))
    with pytest.raises(AssertionError, match="a layer is missing"):
        checks.check_summary(chain(4), longer)
    with pytest.raises(AssertionError, match="remove the extra layer"):
        checks.check_summary(chain(4, 10, 10), TABLE)


def test_check_summary_rejects_none():
    with pytest.raises(AssertionError, match="does your function `return` the model"):
        checks.check_summary(None, TABLE)


def test_lab_summaries_add_up():
    tables = [
        summaries.LAB01_SIMPLE,
        summaries.LAB01_DEEP,
        summaries.LAB02_CONV,
        summaries.LAB02_STRIDED,
    ]
    assert [t.params for t in tables] == [50_992, 222_384, 4_385, 4_385]


def test_check_same_outputs():
    keras.utils.set_random_seed(0)  # two fresh models differ (on ones, both can output 0.5)
    model = chain(4, 10)
    x = np.random.default_rng(0).normal(size=(2, 10)).astype(np.float32)
    checks.check_same_outputs(model, model, x, "same")
    with pytest.raises(AssertionError, match="share the trained layers"):
        checks.check_same_outputs(model, chain(4, 10), x, "fresh layers")


def test_check_images():
    checks.check_images(np.zeros((2, 784), np.float32), (None, 784))
    with pytest.raises(AssertionError, match="float32"):
        checks.check_images(np.zeros((2, 784), np.uint8), (None, 784))
    with pytest.raises(AssertionError, match="255"):
        checks.check_images(np.full((2, 784), 3.0, np.float32), (None, 784))
    with pytest.raises(AssertionError, match="shape"):
        checks.check_images(np.zeros((2, 28, 28), np.float32), (None, 784))


def test_check_close():
    checks.check_close(0.1, 0.1, "x")
    with pytest.raises(AssertionError, match="expected 0.2, got 0.1"):
        checks.check_close(0.1, 0.2, "x")
    with pytest.raises(AssertionError):
        checks.check_close(float("nan"), 0.2, "x")


def test_check_trained_tells_the_trained_model_from_another():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).random((64, 10)).astype("float32")
    model = chain(4, 10)
    model.compile(keras.optimizers.SGD(0.1), "mse")
    history = model.fit(x, x, epochs=2, validation_data=(x, x), verbose=0)
    checks.check_trained(model, history, x)
    rebuilt = chain(4, 10)
    rebuilt.compile(keras.optimizers.SGD(0.1), "mse")
    with pytest.raises(AssertionError, match="not the model that was just trained"):
        checks.check_trained(rebuilt, history, x)
