"""Keras callbacks for training: a progress line, time per epoch and time to a quality target."""

from __future__ import annotations

import time

import keras


class Progress(keras.callbacks.Callback):
    """One status line that updates in place while a model trains (use with ``verbose=0``).

    In Jupyter the line is a display that is rewritten, so the saved notebook keeps only its
    final state: ``name: epoch 12/40 | loss 0.2871 | val_loss 0.2869 | 24 s``. Elsewhere (a
    script, a test) one line is printed at the end of each epoch.
    """

    def __init__(self, name: str = "training", every: float = 0.5):
        super().__init__()
        self.name, self.every = name, every
        self._handle = None

    def on_train_begin(self, logs=None):
        self._start = self._shown = time.perf_counter()
        self._epoch, self._last = 0, {}
        try:
            from IPython import get_ipython
            from IPython.display import Pretty, display

            if get_ipython() is not None:
                self._pretty = Pretty
                self._handle = display(Pretty(self._line("starting")), display_id=True)
        except ImportError:
            self._handle = None

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch + 1

    def on_train_batch_end(self, batch, logs=None):
        if self._handle is not None and time.perf_counter() - self._shown > self.every:
            steps = self.params.get("steps")
            where = f"batch {batch + 1}/{steps}" if steps else f"batch {batch + 1}"
            self._show(self._line(where, logs))

    def on_epoch_end(self, epoch, logs=None):
        self._last = dict(logs or {})
        line = self._line("", self._last)
        if self._handle is None:
            print(line)
        else:
            self._show(line)

    def on_train_end(self, logs=None):
        if self._handle is not None:
            self._handle.update(self._pretty(self._line("done", self._last)))

    def _show(self, line: str) -> None:
        self._shown = time.perf_counter()
        self._handle.update(self._pretty(line))

    def _line(self, where: str, logs=None) -> str:
        losses = " | ".join(f"{k} {float(v):.4f}" for k, v in (logs or {}).items() if "loss" in k)
        parts = [f"epoch {self._epoch}/{self.params.get('epochs', '?')}", where, losses]
        elapsed = f"{time.perf_counter() - self._start:.0f} s"
        return f"{self.name}: " + " | ".join(p for p in [*parts, elapsed] if p)


class TimeToTarget(keras.callbacks.Callback):
    """Record the time of every epoch and when ``monitor`` first reaches ``target``.

    After ``fit``: ``epoch_seconds`` (list), ``reached_epoch`` (1-based, or ``None``),
    ``reached_seconds`` (wall time from the start of training, or ``None``) and ``summary()``.
    With ``stop=True`` training stops as soon as the target is reached; with ``time_limit`` (in
    seconds) it stops after the first epoch that ends past the limit.
    """

    def __init__(
        self,
        target: float,
        monitor: str = "val_loss",
        stop: bool = False,
        time_limit: float | None = None,
    ):
        super().__init__()
        self.target, self.monitor, self.stop, self.time_limit = target, monitor, stop, time_limit
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
        value = (logs or {}).get(self.monitor)
        if self.reached_epoch is None and value is not None and value <= self.target:
            self.reached_epoch, self.reached_seconds = epoch + 1, now - self._start
            if self.stop:
                self.model.stop_training = True
        if self.time_limit is not None and now - self._start >= self.time_limit:
            self.model.stop_training = True

    @property
    def total_seconds(self) -> float:
        return sum(self.epoch_seconds)

    def summary(self) -> str:
        """One line: epochs, total time, and when the target was reached (or that it was not)."""
        done = f"{len(self.epoch_seconds)} epochs in {self.total_seconds:.0f} s"
        if self.reached_epoch is None:
            return f"{done}; {self.monitor} never reached {self.target}"
        return (
            f"{done}; {self.monitor} <= {self.target} after epoch {self.reached_epoch} "
            f"({self.reached_seconds:.0f} s)"
        )
