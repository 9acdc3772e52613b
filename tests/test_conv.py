import keras
import numpy as np

from helpers import conv, results, runtime

FULL, QUICK = runtime.Profile("full", "test"), runtime.Profile("quick", "test")


def tiny_model(name="tiny"):
    inputs = keras.Input((28, 28, 1))
    code = keras.layers.Activation("sigmoid", name="code")(inputs)
    return keras.Model(inputs, code, name=name)


def metrics(x, rebuilt):
    return {"bce": 0.3, "mse": float(np.mean((x - rebuilt) ** 2)), "psnr": 15.0}


def ssim(x, rebuilt):
    return np.full(len(x), 0.5)


class Timer:
    reached_seconds, epoch_seconds, total_seconds = None, [1.0, 1.2], 2.2


def test_evaluate_records_and_the_table_ranks(results_dir, capsys):
    images = np.random.default_rng(0).random((5, 28, 28, 1)).astype("float32")
    record = results.Record("lab09", FULL)
    table = conv.Comparison(record, {"a": "a", "b": "b"}, metrics, ssim, 0.2894)
    row = table.evaluate("a", tiny_model(), images, Timer(), targets={"bce": 0.2894})
    assert row["rebuilt"].shape == images.shape and row["code"] == 784 and row["epochs"] == 2
    assert record["a_bce"] == 0.3 and record.entry("a_bce")["target"] == 0.2894
    assert not np.isfinite(record["a_to_target"]) and capsys.readouterr().out == ""
    table.evaluate("b", tiny_model(), images[:, ::-1], Timer())
    text = table.table(table.results, "two models").splitlines()
    assert text[0] == "two models" and "to 0.2894" in text[1] and text[2].startswith("a ")
    assert "best test MSE:" in text[-3] and text[-1].startswith("best test SSIM: ")
    quick = results.Record("lab09", QUICK)
    again = conv.Comparison(quick, {"a": "a"}, metrics, ssim, 0.2894)
    again.evaluate("a", tiny_model(), images, ssim=False, loaded=True)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "a: test BCE: 0.3000 (full run's weights, as in the full run)"
    assert again.from_record("a", tiny_model())["epochs"] == 2
