import keras
import numpy as np

from helpers.callbacks import TimeToTarget


def fit(timer, epochs=4):
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).random((64, 3)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3)])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    model.fit(x, x, epochs=epochs, verbose=0, callbacks=[timer])
    return model


def test_records_epochs_and_the_first_time_the_target_is_reached():
    timer = TimeToTarget(target=1e9, monitor="loss")
    fit(timer)
    assert len(timer.epoch_seconds) == 4 and timer.reached_epoch == 1
    assert 0 < timer.reached_seconds <= timer.total_seconds + 1e-6
    assert "after epoch 1" in timer.summary()


def test_log_every(capsys):
    fit(TimeToTarget(target=0, monitor="loss", log_every=2))
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["epoch   2", "epoch   4"]
    assert "loss" in lines[0]


def test_stop_at_target_and_missed_target():
    stopper = TimeToTarget(target=1e9, monitor="loss", stop=True)
    fit(stopper)
    assert len(stopper.epoch_seconds) == 1
    never = TimeToTarget(target=-1, monitor="loss")
    fit(never, epochs=2)
    assert never.reached_epoch is None and "never reached -1" in never.summary()
