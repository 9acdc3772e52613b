"""The full run's record: every number a lab reports, measured once and printed from one place.

Prose in a lab states no measured number; code prints it. A lab opens one ``Record`` and hands it
each number it reports. In the ``full`` profile the record keeps this run's numbers, and while
``python3 course.py render`` runs (``COURSE_SAVE_WEIGHTS=1``) it writes them to
``data/results/<lab>.json`` (listed in ``data/SHA256SUMS``, like the weights). In the short
profiles it reads that file, so a quick run prints its own number beside the full run's:

    record = results.Record("lab01", profile)
    record.measured("simple_bce", simple_test["bce"], "simple autoencoder, test BCE",
                    target=0.2842)
    # full:  simple autoencoder, test BCE: 0.2847 (target <= 0.2842: missed)
    # quick: simple autoencoder, test BCE: 0.3127 this run | 0.2847 full run (target <= 0.2842)
    print(record.quote("simple_seconds"))   # "simple: training time: 79 s (full run)"

The README's results page is generated from the same files (``python3 course.py results``).
"""

from __future__ import annotations

import json
import time
from typing import Any

from helpers import pretrained
from helpers.data import DATA_DIR

RESULTS_DIR = DATA_DIR / "results"


class Record:
    """The numbers of lab ``lab`` (e.g. ``"lab01"``): this run's in ``full``, the committed full
    run's in the short profiles. ``record[key]`` is a number's value."""

    def __init__(self, lab: str, profile) -> None:
        self.lab, self.profile = lab, profile
        self.path = RESULTS_DIR / f"{lab}.json"
        self.started = time.perf_counter()
        if profile.full:
            self.numbers: dict[str, dict[str, Any]] = {}
        else:
            pretrained.check_file(self.path)
            self.numbers = json.loads(self.path.read_text())["numbers"]

    def __getitem__(self, key: str) -> float:
        return self.entry(key)["value"]

    def entry(self, key: str) -> dict[str, Any]:
        if key not in self.numbers:
            raise KeyError(
                f"'{key}' is not in {self.lab}'s full-run record ({pretrained.show(self.path)}): "
                "run the cell that measures it first, or re-render the lab "
                f"(python3 course.py render {self.lab[3:]})."
            )
        return self.numbers[key]

    def measured(
        self,
        key: str,
        value: float,
        label: str,
        *,
        unit: str = "",
        fmt: str = ".4f",
        target: float | None = None,
        higher_is_better: bool = False,
        show: bool = True,
        loaded: bool = False,
    ) -> float:
        """Report a number this run measured: print it (in a short profile beside the full run's)
        and, in ``full``, keep it in the record. Returns ``value``. ``loaded=True`` says that a
        short run measured it on a model holding the full run's weights (``pretrained.load``),
        so the line names those weights instead of "this run"."""
        entry = {"label": label, "value": float(value), "unit": unit, "format": fmt}
        if target is not None:
            entry |= {"target": float(target), "higher_is_better": higher_is_better}
        if self.profile.full:
            self.numbers[key] = entry
            self._save()
        if show:
            print(self._line(entry, key, loaded))
        return value

    def quote(self, key: str) -> str:
        """The full run's number ``key`` as a line, e.g. "test BCE: 0.2847 (full run)"."""
        entry = self.entry(key)
        text = f"{entry['label']}: {describe(entry)}"
        if "target" in entry:
            text += f" (target {target_text(entry)}: {'met' if met(entry) else 'missed'})"
        return text if self.profile.full else f"{text} (full run)"

    def finish(self) -> None:
        """Last cell: the time of the whole run (in ``full``), or the full run's time."""
        if self.profile.full:
            seconds = time.perf_counter() - self.started
            self.measured("run_seconds", seconds, "the whole notebook", unit="s", fmt=".0f")
        else:
            print(self.quote("run_seconds"))

    def _line(self, entry: dict[str, Any], key: str, loaded: bool) -> str:
        if self.profile.full:
            return self.quote(key)
        full = self.numbers.get(key)
        if loaded and full and describe(full) == describe(entry):
            return f"{entry['label']}: {describe(entry)} ({pretrained.LABEL[1:-1]}, as in the full run)"
        text = f"{entry['label']}: {describe(entry)} {pretrained.LABEL if loaded else 'this run'}"
        if full:
            text += f" | {describe(full)} full run"
            if "target" in full:
                text += f" (target {target_text(full)}: {'met' if met(full) else 'missed'} there)"
        return text

    def _save(self) -> None:
        if not pretrained.saving():
            return
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"lab": self.lab, "numbers": self.numbers}, indent=1) + "\n"
        pretrained.write_listed(self.path, text)


def load(lab: str) -> dict[str, dict[str, Any]]:
    """The committed record of ``lab``: key -> {label, value, unit, format[, target]}."""
    path = RESULTS_DIR / f"{lab}.json"
    pretrained.check_file(path)
    return json.loads(path.read_text())["numbers"]


def describe(entry: dict[str, Any]) -> str:
    """A record entry's value with its unit, as the lab prints it (e.g. "18.53 dB")."""
    value = format(entry["value"], entry["format"])
    if entry["unit"] == "s" and entry["value"] >= 120:
        minutes, seconds = divmod(round(entry["value"]), 60)
        return f"{value} s ({minutes} min {seconds:02d} s)"
    return f"{value} {entry['unit']}".rstrip()


def target_text(entry: dict[str, Any]) -> str:
    """An entry's target, e.g. ">= 18.00 dB"."""
    sign = ">=" if entry["higher_is_better"] else "<="
    return f"{sign} {format(entry['target'], entry['format'])} {entry['unit']}".rstrip()


def met(entry: dict[str, Any]) -> bool:
    """Whether an entry with a target met it."""
    if entry["higher_is_better"]:
        return entry["value"] >= entry["target"]
    return entry["value"] <= entry["target"]
