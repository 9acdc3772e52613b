import json

import pytest

from helpers import data, pretrained, results, runtime

FULL, QUICK = runtime.Profile("full", "test"), runtime.Profile("quick", "test")


def test_a_full_render_writes_the_record_and_lists_it(results_dir, capsys):
    record = results.Record("lab09", FULL)
    record.measured("bce", 0.28471, "test BCE", target=0.2842)
    record.measured("psnr", 18.534, "PSNR", unit="dB", fmt=".2f", target=18, higher_is_better=True)
    assert capsys.readouterr().out.splitlines() == [
        "test BCE: 0.2847 (target <= 0.2842: missed)",
        "PSNR: 18.53 dB (target >= 18.00 dB: met)",
    ]
    saved = json.loads((results_dir / "lab09.json").read_text())["numbers"]
    assert saved["bce"]["value"] == 0.28471 and saved["psnr"]["unit"] == "dB"
    assert "results/lab09.json" in data.data_checksums()
    assert results.load("lab09") == saved


def test_a_quick_run_prints_its_number_beside_the_full_runs(results_dir, capsys):
    full = results.Record("lab09", FULL)
    full.measured("seconds", 163.4, "training time", unit="s", fmt=".0f", show=False)
    full.measured("bce", 0.2847, "test BCE", target=0.2842)
    capsys.readouterr()
    quick = results.Record("lab09", QUICK)
    quick.measured("bce", 0.31, "test BCE", target=0.2842)
    print(quick.quote("seconds"))
    assert capsys.readouterr().out.splitlines() == [
        "test BCE: 0.3100 this run | 0.2847 full run (target <= 0.2842: missed there)",
        "training time: 163 s (2 min 43 s) (full run)",
    ]
    assert quick["bce"] == 0.2847  # a short run never overwrites the full run's record
    quick.measured("bce", 0.28472, "test BCE", loaded=True)
    quick.measured("bce", 0.2851, "test BCE", loaded=True)
    assert capsys.readouterr().out.splitlines() == [
        "test BCE: 0.2847 (full run's weights, as in the full run)",
        "test BCE: 0.2851 [full run's weights] | 0.2847 full run (target <= 0.2842: missed there)",
    ]


def test_nothing_is_written_unless_rendering(results_dir, monkeypatch):
    monkeypatch.delenv(pretrained.SAVE_VAR)
    record = results.Record("lab09", FULL)
    record.measured("bce", 0.3, "test BCE", show=False)
    assert record["bce"] == 0.3 and not results_dir.exists()


def test_missing_record_or_number_says_what_to_do(results_dir):
    with pytest.raises(pretrained.WeightsError, match="results/lab09.json is missing: restore"):
        results.Record("lab09", QUICK)
    results.Record("lab09", FULL).measured("bce", 0.3, "test BCE", show=False)
    with pytest.raises(KeyError, match="re-render the lab"):
        results.Record("lab09", QUICK).quote("psnr")


def test_finish_records_the_whole_run(results_dir, capsys):
    results.Record("lab09", FULL).finish()
    assert capsys.readouterr().out.startswith("the whole notebook: 0 s")
    results.Record("lab09", QUICK).finish()
    assert capsys.readouterr().out == "the whole notebook: 0 s (full run)\n"
