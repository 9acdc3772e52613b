"""Keras callbacks for measuring training: time per epoch and time to a quality target."""

from __future__ import annotations

import time

import keras


class TimeToTarget(keras.callbacks.Callback):
    """Record the time of every epoch and when ``monitor`` first reaches ``target``.

    After ``fit``: ``epoch_seconds`` (list), ``reached_epoch`` (1-based, or ``None``),
    ``reached_seconds`` (wall time from the start of training, or ``None``) and ``summary()``.
    With ``stop=True`` training stops as soon as the target is reached; with ``log_every=k`` one
    short line is printed every k epochs (use it with ``fit(..., verbose=0)``).
    """

    def __init__(
        self, target: float, monitor: str = "val_loss", stop: bool = False, log_every: int = 0
    ):
        super().__init__()
        self.target, self.monitor, self.stop, self.log_every = target, monitor, stop, log_every
        self.epoch_seconds: list[float] = []
        self.reached_epoch: int | None = None
        self.reached_seconds: float | None = None

    def on_train_begin(self, logs=None):
        self._start = self._epoch_start = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        now = time.perf_counter()
        self.epoch_seconds.append(now - self._epoch_start)
        logs = logs or {}
        value = logs.get(self.monitor)
        if self.log_every and (epoch + 1) % self.log_every == 0:
            metrics = " | ".join(f"{k} {v:.4f}" for k, v in logs.items() if k.endswith("loss"))
            print(f"epoch {epoch + 1:>3}: {metrics} | {now - self._start:.0f} s")
        if self.reached_epoch is None and value is not None and value <= self.target:
            self.reached_epoch, self.reached_seconds = epoch + 1, now - self._start
            if self.stop:
                self.model.stop_training = True

    @property
    def total_seconds(self) -> float:
        return sum(self.epoch_seconds)

    def summary(self) -> str:
        """One line: epochs, total time, and when the target was reached (or the best miss)."""
        done = f"{len(self.epoch_seconds)} epochs in {self.total_seconds:.0f} s"
        if self.reached_epoch is None:
            return f"{done}; {self.monitor} never reached {self.target}"
        return (
            f"{done}; {self.monitor} <= {self.target} after epoch {self.reached_epoch} "
            f"({self.reached_seconds:.0f} s)"
        )
