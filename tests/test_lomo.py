import keras
import numpy as np
import pytest

from helpers import lomo, pretrained, results, runtime

FULL, QUICK = runtime.Profile("full", "test"), runtime.Profile("quick", "test")


def test_fit_recipe_trains_and_times_the_held_out_psnr():
    keras.utils.set_random_seed(0)
    photos = np.random.default_rng(0).uniform(0.4, 0.6, (64, 4, 4, 3)).astype(np.float32)
    model = keras.Sequential([keras.Input((4, 4, 3)), keras.layers.Dense(3)])
    timer, history = lomo.fit_recipe(
        model,
        photos,
        photos,
        epochs=3,
        batch_size=16,
        peak_learning_rate=1e-2,
        warmup_steps=2,
        held_out=(photos[:8], photos[:8]),
        target=-np.inf,  # reached after the first epoch
    )
    assert len(history.history["val_psnr"]) == 3 and len(timer.epoch_seconds) == 3
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert timer.reached_epoch == 1
    untimed, _ = lomo.fit_recipe(
        model, photos, photos, epochs=1, batch_size=32, peak_learning_rate=1e-3, warmup_steps=0
    )
    assert untimed.reached_epoch is None  # no held-out photos: no PSNR to reach


def test_record_table_records_every_number_and_shows_the_full_runs(results_dir, capsys):
    rows = [("a", "first", (0.1234, 5.0)), ("b", "second", (0.5, 6.0))]
    columns = [("d", "distance", ".3f"), ("n", "count", ".0f")]
    full = results.Record("lab09", FULL)
    lomo.record_table(full, "images", rows, columns, width=12)
    shown = capsys.readouterr().out.splitlines()
    assert shown[0] == "images" + " " * 6 + "    distance       count"
    assert shown[1].split() == ["first", "0.123", "5"]
    assert full["b_n"] == 6.0 and full.entry("a_d")["label"] == "first: distance"
    quick = results.Record("lab09", QUICK)
    lomo.record_table(quick, "images", [("a", "first", (0.2, 7.0)), *rows[1:]], columns, width=12)
    shown = capsys.readouterr().out.splitlines()
    assert shown[1].split() == ["this", "run", "full", "run"] * 2
    assert shown[2].split() == ["first", "0.200", "0.123", "7", "5"]
    with pytest.raises(ValueError, match="2 columns"):
        lomo.record_table(quick, "images", [("c", "third", (1.0,))], columns)
    capsys.readouterr()
    lomo.record_table(quick, "images", rows, columns, width=12, loaded=True)
    shown = capsys.readouterr().out.splitlines()
    assert shown[1] == " " * 12 + f"{pretrained.LABEL[1:-1]:>20}{'full run':>20}" * 2
    assert shown[2].split() == ["first", "0.123", "0.123", "5", "5"]
