import keras
import numpy as np
import pytest
from PIL import Image

from helpers.callbacks import (
    LABEL_HEIGHT,
    KLWarmUp,
    Progress,
    ReconstructionGIF,
    TimeToTarget,
    labelled_frame,
)

X = np.random.default_rng(0).random((64, 3)).astype("float32")


def fit(timer, epochs=4, **settings):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3)])
    model.compile(keras.optimizers.SGD(0.1), "mse", **settings)
    model.fit(X, X, epochs=epochs, batch_size=8, verbose=0, callbacks=[timer])
    return model


def test_records_epochs_and_the_first_time_the_target_is_reached():
    timer = TimeToTarget(target=1e9, monitor="loss")
    fit(timer)
    assert len(timer.epoch_seconds) == 4 and timer.reached_epoch == 1
    assert 0 < timer.reached_seconds <= timer.total_seconds + 1e-6
    assert "after epoch 1" in timer.summary()


def test_checks_between_epoch_ends_find_the_target_to_a_fraction_of_an_epoch():
    # 8 steps per epoch, run 4 at a time: the checks see the target after step 4 of epoch 1
    timer = TimeToTarget(target=1e9, monitor="loss", stop=True, checks=(X, X, 2))
    fit(timer, steps_per_execution=4)
    assert timer.reached_epoch == 0.5 and "after 0.50 epochs" in timer.summary()
    assert len(timer.epoch_seconds) == 1  # stop=True ends training at the check


def test_checks_run_inside_the_epoch_only_until_the_target_is_reached(monkeypatch):
    calls = []
    predict = keras.Model.predict
    monkeypatch.setattr(keras.Model, "predict", lambda *a, **k: calls.append(1) or predict(*a, **k))
    fit(TimeToTarget(target=-1.0, monitor="loss", checks=(X, X, 2)), epochs=2)
    assert len(calls) == 6  # steps 2, 4 and 6 of each 8-step epoch; step 8 is the epoch end
    calls.clear()
    fit(TimeToTarget(target=1e9, monitor="loss", checks=(X, X, 2)), epochs=2)
    assert len(calls) == 1  # reached at the first check: no more checks


def test_a_check_computes_the_compiled_loss_of_the_model_at_that_step():
    model = fit(TimeToTarget(target=1e9, monitor="loss", stop=True, checks=(X, X, 1)))
    loss = model.evaluate(X, X, verbose=0)  # the weights after step 1, where training stopped
    near = TimeToTarget(target=loss + 1e-6, monitor="loss", stop=True, checks=(X, X, 1))
    far = TimeToTarget(target=loss - 1e-4, monitor="loss", stop=True, checks=(X, X, 1))
    fit(near), fit(far)
    assert near.reached_epoch == 1 / 8 and far.reached_epoch != 1 / 8


def test_the_log_holds_every_check_and_epoch_end_in_order():
    # 8 steps per epoch, checks every 2 steps until the target (never, here): steps 2, 4, 6, end
    timer = TimeToTarget(target=-1.0, monitor="loss", checks=(X, X, 2))
    fit(timer, epochs=2)
    epochs = [e for e, _, _ in timer.log]
    assert epochs == [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    seconds = [s for _, _, s in timer.log]
    assert seconds == sorted(seconds) and all(np.isfinite(v) for _, v, _ in timer.log)


def test_checks_must_name_data_and_a_step_count():
    with pytest.raises(ValueError, match="every >= 1"):
        TimeToTarget(0.3, checks=(X, X, 0))


def test_progress_prints_one_line_per_epoch_outside_jupyter(capsys, monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)  # whatever ran before in this process
    fit(Progress("tiny"), epochs=3)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" |")[0] for line in lines] == [f"tiny: epoch {e}/3" for e in (1, 2, 3)]
    assert "loss 0." in lines[-1] and lines[-1].endswith(" s")


def test_progress_updates_one_display_in_jupyter(monkeypatch):
    import IPython
    import IPython.display

    shown = []

    class Handle:
        def update(self, obj):
            shown.append(obj.data)

    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(
        IPython.display, "display", lambda obj, display_id: shown.append(obj.data) or Handle()
    )
    fit(Progress("tiny", every=0), epochs=2)
    assert shown[0].startswith("tiny: epoch 0/2 | starting")
    assert any("batch 1/" in line for line in shown)
    assert shown[-1].startswith("tiny: epoch 2/2 | done | loss")


def test_stop_at_target_and_missed_target():
    stopper = TimeToTarget(target=1e9, monitor="loss", stop=True)
    fit(stopper)
    assert len(stopper.epoch_seconds) == 1
    never = TimeToTarget(target=-1, monitor="loss")
    fit(never, epochs=2)
    assert never.reached_epoch is None and "never reached -1" in never.summary()


def test_time_limit_stops_after_the_epoch_that_passes_it():
    timer = TimeToTarget(target=-1.0, monitor="loss", time_limit=0.0)
    fit(timer, epochs=5)
    assert len(timer.epoch_seconds) == 1 and timer.reached_epoch is None


def test_reconstruction_gif_has_one_frame_per_epoch_and_one_before(tmp_path):
    keras.utils.set_random_seed(0)
    images = np.random.default_rng(0).random((2, 4, 4, 3)).astype("float32")
    model = keras.Sequential([keras.Input((4, 4, 3)), keras.layers.Dense(3, activation="sigmoid")])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    gif = ReconstructionGIF(images, tmp_path / "training.gif")
    model.fit(images, images, epochs=3, verbose=0, callbacks=[gif])
    assert len(gif.frames) == 4 and gif.frames[0].shape == (8, 8, 3)
    with Image.open(tmp_path / "training.gif") as animation:
        assert animation.n_frames == 4 and animation.size == (8, 8 + LABEL_HEIGHT)
        bands = []
        for index in range(animation.n_frames):  # each frame's band names its own epoch
            animation.seek(index)
            bands.append(np.asarray(animation.convert("L"))[:LABEL_HEIGHT].tobytes())
        assert len(set(bands)) > 1


def test_the_gif_band_names_the_epoch_in_black_on_white():
    frame = np.zeros((20, 120, 3), np.uint8)
    before, after = (
        np.asarray(labelled_frame(frame, text).convert("L")) for text in ("", "epoch 3")
    )
    assert before.shape == (20 + LABEL_HEIGHT, 120) and (before[:LABEL_HEIGHT] == 255).all()
    assert (after[:LABEL_HEIGHT] < 128).any() and (after[LABEL_HEIGHT:] == 0).all()


def test_mode_max_for_metrics_that_grow():
    timer = TimeToTarget(target=-1.0, monitor="loss", mode="max")
    fit(timer, epochs=2)
    assert timer.reached_epoch == 1 and ">= -1.0 after epoch 1" in timer.summary()


def test_kl_warm_up_ramps_the_weight_to_one():
    x = np.random.default_rng(0).random((32, 3)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3)])
    model.kl_weight = keras.Variable(1.0, trainable=False)
    seen = []
    record = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda b, logs: seen.append(float(model.kl_weight.numpy()))
    )
    model.compile(keras.optimizers.SGD(0.1), "mse")
    model.fit(x, x, batch_size=8, epochs=2, verbose=0, callbacks=[KLWarmUp(4), record])
    assert np.allclose(seen, [0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0])
