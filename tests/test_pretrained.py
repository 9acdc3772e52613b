import json

import keras
import numpy as np
import pytest

from helpers import data, pretrained, runtime


@pytest.fixture
def weights_dir(tmp_path, monkeypatch):
    """An empty data folder (with an empty SHA256SUMS) that saving and loading then use."""
    (tmp_path / "SHA256SUMS").write_text("")
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    monkeypatch.setattr(pretrained, "DATA_DIR", tmp_path)
    monkeypatch.setattr(pretrained, "WEIGHTS_DIR", tmp_path / "weights")
    monkeypatch.setenv(pretrained.SAVE_VAR, "1")
    return tmp_path / "weights"


def small(units=3, seed=0):
    keras.utils.set_random_seed(seed)
    x = keras.Input((4,))
    return keras.Model(
        x, keras.layers.Dense(units, name="out")(keras.layers.Dense(5)(x)), name="small"
    )


def test_short_profiles_use_the_full_run():
    assert pretrained.from_full_run(runtime.Profile("quick", "test"))
    assert pretrained.from_full_run(runtime.Profile("grade", "test"))
    assert not pretrained.from_full_run(runtime.Profile("full", "test"))


def test_save_then_load_into_a_model_built_again(weights_dir, capsys):
    trained = small(seed=1)
    pretrained.save(trained, "demo", history={"loss": [np.float32(0.5), np.float32(0.25)]})
    assert sorted(p.name for p in weights_dir.iterdir()) == ["demo.json", "demo.npz"]
    sums = data.data_checksums()
    assert set(sums) == {"weights/demo.json", "weights/demo.npz"}
    fresh = small(seed=2)
    assert not np.allclose(fresh.get_weights()[0], trained.get_weights()[0])
    record = pretrained.load(fresh, "demo")
    for mine, theirs in zip(fresh.get_weights(), trained.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, theirs)
    assert record["history"] == {"loss": [0.5, 0.25]} and record["parameters"] == 43
    assert record["profile"] == runtime.current_profile().name
    assert "[full run's weights] demo: 43 parameters" in capsys.readouterr().out


def saved_arrays(file):
    with np.load(file) as arrays:
        return [arrays[f"arr_{i}"] for i in range(len(arrays.files))]


def test_save_ships_float16_and_the_model_keeps_the_rounded_weights(weights_dir):
    model = small(seed=1)
    trained = model.get_weights()
    pretrained.save(model, "demo")
    shipped = saved_arrays(weights_dir / "demo.npz")
    assert [a.dtype for a in shipped] == [np.float16] * 4
    held = model.get_weights()
    for mine, theirs, before in zip(held, shipped, trained, strict=True):
        assert mine.dtype == np.float32
        np.testing.assert_array_equal(mine, theirs.astype(np.float32))
        np.testing.assert_allclose(mine, before, rtol=1e-3)
    assert not np.array_equal(held[0], trained[0])  # rounded, not the float32 values
    assert json.loads((weights_dir / "demo.json").read_text())["stored"] == "float16"


def test_load_reads_float16_and_float32_files_into_a_float32_model(weights_dir):
    pretrained.save(small(seed=1), "demo")
    fresh = small(seed=2)
    pretrained.load(fresh, "demo")
    shipped = saved_arrays(weights_dir / "demo.npz")
    for mine, theirs in zip(fresh.get_weights(), shipped, strict=True):
        assert mine.dtype == np.float32
        np.testing.assert_array_equal(mine, theirs.astype(np.float32))

    older = small(seed=3).get_weights()  # a float32 file, as saved before float16
    np.savez_compressed(weights_dir / "demo.npz", *older)
    info = weights_dir / "demo.json"
    pretrained.write_listed(info, info.read_text(), also=[weights_dir / "demo.npz"])
    pretrained.load(fresh, "demo")
    for mine, theirs in zip(fresh.get_weights(), older, strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_another_architecture_stops_with_what_differs(weights_dir):
    pretrained.save(small(), "demo")
    with pytest.raises(pretrained.WeightsError) as err:
        pretrained.load(small(units=4), "demo")
    message = str(err.value)
    assert "43 parameters in 4 arrays, this 'small' 49 in 4" in message
    assert "array 3: (5, 3) in the full run, (5, 4) here" in message
    assert "Build the model exactly as the task says" in message


def test_missing_or_damaged_files_say_how_to_restore(weights_dir):
    with pytest.raises(pretrained.WeightsError, match="weights/none.npz is missing: restore"):
        pretrained.load(small(), "none")
    pretrained.save(small(), "demo")
    (weights_dir / "demo.json").write_text(json.dumps({"shapes": []}))
    with pytest.raises(pretrained.WeightsError, match="demo.json is damaged"):
        pretrained.load(small(), "demo")


def test_nothing_is_saved_unless_rendering(weights_dir, monkeypatch):
    monkeypatch.delenv(pretrained.SAVE_VAR)
    pretrained.save(small(), "demo")
    assert not weights_dir.exists()


def test_the_shipped_weights_come_from_full_runs_and_are_listed():
    shipped = sorted(pretrained.WEIGHTS_DIR.glob("*.json"))
    listed = [n for n in data.data_checksums() if n.startswith("weights/")]
    assert len(listed) == 2 * len(shipped)
    for info in shipped:
        record = json.loads(info.read_text())
        assert record["profile"] == "full", f"{info.name} was saved by a {record['profile']} run"
        assert (info.parent / f"{info.stem}.npz").is_file()


def test_a_shipped_model_refuses_another_architecture():
    with pytest.raises(
        pretrained.WeightsError, match="'restorer' has 88,209 parameters in 14 arrays"
    ):
        pretrained.load(small(), "lab03_digits_noise")
