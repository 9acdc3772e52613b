"""Lab 02's comparison table (given code): evaluate models on the same test images, record each
number, print one line per model and rank the models on every test metric.

The lab passes in its own metric functions (Lab 01's ``reconstruction_metrics`` and the
student's SSIM), so nothing here computes a graded answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np


def predict_images(model, x: np.ndarray) -> np.ndarray:
    """Reconstructions of images ``x`` in ``x``'s shape, whatever input shape ``model`` wants."""
    flat = x.reshape(len(x), *model.input.shape[1:])
    return model.predict(flat, batch_size=1000, verbose=0).reshape(x.shape)


def code_size(model) -> int:
    """The number of values in the output of ``model``'s layer named ``code``."""
    return int(np.prod(model.get_layer("code").output.shape[1:]))


class Comparison:
    """The models of one comparison: their numbers (``results``) and the lab's ``record``.

    ``keys`` maps a model's name to its key prefix in the record (``"pooling conv": "pool"``);
    ``metrics(x, rebuilt)`` returns {"bce", "mse", "psnr"}; ``ssim(x, rebuilt)`` one value per
    image; ``target`` is the validation BCE whose time-to-target the table shows."""

    def __init__(
        self,
        record,
        keys: Mapping[str, str],
        metrics: Callable,
        ssim: Callable,
        target: float,
    ) -> None:
        self.record, self.keys, self.metrics, self.ssim = record, dict(keys), metrics, ssim
        self.target = target
        self.columns = {  # measured column: its label and how to print it
            "epochs": ("epochs trained", dict(fmt=".0f")),
            "seconds": ("training time", dict(unit="s", fmt=".0f")),
            "to_target": (f"time to validation BCE {target}", dict(unit="s", fmt=".0f")),
            "bce": ("test BCE", dict(fmt=".4f")),
            "mse": ("test MSE", dict(fmt=".4f")),
            "psnr": ("test PSNR", dict(unit="dB", fmt=".2f")),
            "ssim": ("test SSIM", dict(fmt=".3f")),
        }
        self.results: dict[str, dict[str, Any]] = {}

    def evaluate(
        self,
        name: str,
        model,
        x: np.ndarray,
        timer=None,
        *,
        ssim: bool = True,
        targets: Mapping[str, float] | None = None,
        loaded: bool = False,
    ) -> dict[str, Any]:
        """Test metrics of ``model`` on images ``x`` (and its training, from ``timer`` if it
        trained in this run) into ``results[name]`` and the record. A short run prints each
        beside the full run's; ``loaded=True`` says the model holds the full run's weights.
        ``ssim=False`` skips the SSIM (seconds for 10,000 images). ``targets``: column -> target."""
        rebuilt = predict_images(model, x)
        row = dict(self.metrics(x, rebuilt))
        ssim_each = self.ssim(x, rebuilt) if ssim else None
        if ssim:
            row["ssim"] = float(np.mean(ssim_each))
        if timer is not None:
            reached = timer.reached_seconds if timer.reached_seconds is not None else np.inf
            row |= dict(
                epochs=len(timer.epoch_seconds), seconds=timer.total_seconds, to_target=reached
            )
        full = self.record.profile.full
        for column, value in row.items():
            label, style = self.columns[column]
            if column in (targets or {}):
                style = dict(style, target=targets[column])
            self.record.measured(
                f"{self.keys[name]}_{column}",
                value,
                f"{name}: {label}",
                show=not full and bool(np.isfinite(value)),  # full: the table prints them
                loaded=loaded,
                **style,
            )
        size = dict(params=model.count_params(), code=code_size(model))
        self.results[name] = row | size | dict(model=model, rebuilt=rebuilt, ssim_each=ssim_each)
        return self.results[name]

    def from_record(self, name: str, model) -> dict[str, Any]:
        """The full run's numbers of model ``name`` from the record; its size from ``model``."""
        size = dict(params=model.count_params(), code=code_size(model))
        return {c: self.record[f"{self.keys[name]}_{c}"] for c in self.columns} | size

    def table(self, rows: Mapping[str, Mapping[str, Any]], title: str) -> str:
        """One line per model (size, training, test metrics), then the ranking on each metric."""
        lines = [
            title,
            f"{'model':<14}{'params':>9}{'code':>6}{'epochs':>8}{'train s':>9}"
            f"{'to ' + str(self.target):>11}{'BCE':>8}{'MSE':>8}{'PSNR dB':>9}{'SSIM':>7}",
        ]
        for name, r in rows.items():
            to_target = f"{r['to_target']:.0f} s" if np.isfinite(r["to_target"]) else "-"
            lines.append(
                f"{name:<14}{r['params']:>9,}{r['code']:>6}{r['epochs']:>8.0f}"
                f"{r['seconds']:>9.0f}{to_target:>11}{r['bce']:>8.4f}{r['mse']:>8.4f}"
                f"{r['psnr']:>9.2f}{r['ssim']:>7.3f}"
            )
        for column, higher in [("bce", False), ("mse", False), ("psnr", True), ("ssim", True)]:
            ranked = sorted(rows, key=lambda n: rows[n][column], reverse=higher)
            lines.append(
                f"best {self.columns[column][0]}: {ranked[0]} (then {', '.join(ranked[1:])})"
            )
        return "\n".join(lines)

    def print_table(self, rows: Mapping[str, Mapping[str, Any]], title: str) -> None:
        """Print ``table(rows, title)``."""
        print(self.table(rows, title))
