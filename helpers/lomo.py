"""Given code of Lab 05 (Lomography) that is not its lesson: training with the course's recipe
while watching the held-out PSNR, and tables of numbers that go into the lab's full-run record."""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from helpers import callbacks, pretrained, training
from helpers.lomo_checks import mean_psnr


class HeldOutPSNR(keras.callbacks.Callback):
    """Add ``val_psnr``, the mean PSNR in dB of the model's outputs for ``inputs`` against
    ``targets`` (held-out photos in [0, 1]), to the logs of every epoch."""

    def __init__(self, inputs: np.ndarray, targets: np.ndarray, batch_size: int = 128):
        super().__init__()
        self.inputs, self.targets, self.batch_size = inputs, targets, batch_size

    def on_epoch_end(self, epoch, logs=None):
        rebuilt = self.model.predict(self.inputs, batch_size=self.batch_size, verbose=0)
        if logs is not None:
            logs["val_psnr"] = mean_psnr(self.targets, rebuilt)


def fit_recipe(
    model: keras.Model,
    inputs: np.ndarray,
    targets: np.ndarray,
    *,
    epochs: int,
    batch_size: int,
    peak_learning_rate: float,
    warmup_steps: int,
    name: str = "training",
    held_out: tuple[np.ndarray, np.ndarray] | None = None,
    loss="mse",
    extra: Sequence[keras.callbacks.Callback] = (),
    target: float = np.inf,
):
    """Compile ``model`` with the course's recipe (Adam, warm-up and cosine decay over the whole
    run) and ``loss``, and train it on ``(inputs, targets)``, shuffled, with a progress line.

    With ``held_out=(inputs, targets)`` every epoch's logs get their PSNR (``val_psnr``) and the
    returned timer records when it first reaches ``target`` dB. Returns
    ``(callbacks.TimeToTarget, History)``.
    """
    steps = epochs * int(np.ceil(len(inputs) / batch_size))
    optimizer = training.warmup_cosine_adam(steps, peak_learning_rate, warmup_steps)
    model.compile(optimizer=optimizer, loss=loss)
    training.build_optimizer(model)  # Adam's variables now: the first step is traced once
    timer = callbacks.TimeToTarget(target, monitor="val_psnr", mode="max")
    watch = [HeldOutPSNR(*held_out)] if held_out is not None else []
    history = model.fit(
        inputs,
        targets,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=True,
        verbose=0,
        callbacks=[*watch, *extra, timer, callbacks.Progress(name)],
    )
    return timer, history


def record_table(
    record,
    title: str,
    rows: Sequence[tuple[str, str, Sequence[float]]],
    columns: Sequence[tuple[str, str, str]],
    width: int = 30,
    loaded: bool = False,
) -> None:
    """Put a table of numbers into the lab's record and print it.

    ``rows``: ``(key, name, values)``, one value per column; ``columns``: ``(key, heading, fmt)``.
    Each number is recorded as ``"<row key>_<column key>"``, labelled ``"<name>: <heading>"``. In
    the full profile the table shows this run's numbers; in a short one each column shows this
    run's number beside the full run's (from its record). ``loaded=True`` says that a short run
    measured them on models holding the full run's weights: the column says so, not "this run".
    """
    full = record.profile.full
    own = pretrained.LABEL[1:-1] if loaded else "this run"
    cell = width if full else max(width // 2, 10, len(own) + 2)
    line = f"{title:<{width}}" + "".join(
        f"{heading:>{width}}" if full else f"{heading:>{2 * cell}}" for _, heading, _ in columns
    )
    print(line)
    if not full:
        print(" " * width + f"{own:>{cell}}{'full run':>{cell}}" * len(columns))
    for row_key, name, values in rows:
        if len(values) != len(columns):
            raise ValueError(f"row {name!r} has {len(values)} values for {len(columns)} columns.")
        text = f"{name:<{width}}"
        for (column_key, heading, fmt), value in zip(columns, values, strict=True):
            key = f"{row_key}_{column_key}"
            record.measured(key, value, f"{name}: {heading}", fmt=fmt, show=False)
            text += f"{value:>{cell}{fmt}}"
            if not full:
                text += f"{record[key]:>{cell}{fmt}}"
        print(text)
