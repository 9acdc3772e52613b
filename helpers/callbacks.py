"""Keras callbacks for training: a progress line, time per epoch and time to a quality target,
and an animated GIF of reconstructions during training."""

from __future__ import annotations

import os
import time

import keras
import numpy as np
from PIL import Image, ImageDraw


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
    ``mode="max"`` is for metrics that grow (e.g. PSNR): the target is reached at or above it.
    With ``stop=True`` training stops as soon as the target is reached; with ``time_limit`` (in
    seconds) it stops after the first epoch that ends past the limit.

    ``checks=(x, y, every)`` also computes the compiled loss on ``(x, y)`` (give the validation data,
    to monitor ``val_loss``) after every ``every`` training steps inside an epoch, until the target
    is reached: the time to target is then known to a fraction of an epoch, and ``reached_epoch``
    is that fraction (0.75 = three quarters into the first epoch). The checks' time is counted.
    ``log`` lists ``(epochs, value, seconds)`` for every check and epoch end: a learning curve at a
    fraction of an epoch (e.g. ``pretrained.save(..., checks=timer.log)``).
    """

    def __init__(
        self,
        target: float,
        monitor: str = "val_loss",
        stop: bool = False,
        time_limit: float | None = None,
        mode: str = "min",
        checks: tuple | None = None,
    ):
        super().__init__()
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}.")
        if checks is not None and (len(checks) != 3 or int(checks[2]) < 1):
            raise ValueError("checks must be (x, y, every) with every >= 1 training steps.")
        self.target, self.monitor, self.stop, self.time_limit = target, monitor, stop, time_limit
        self.checks = checks
        self.sign = 1.0 if mode == "min" else -1.0
        self.epoch_seconds: list[float] = []
        self.reached_epoch: float | None = None
        self.reached_seconds: float | None = None
        self.log: list[tuple[float, float, float]] = []

    def on_train_begin(self, logs=None):
        self._start = self._epoch_start = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = time.perf_counter()
        self._epoch, self._checked = epoch, 0

    def on_train_batch_end(self, batch, logs=None):
        # batch: the last step done (steps_per_execution > 1 calls this once per execution)
        if self.checks is None or self.reached_epoch is not None:
            return
        x, y, every = self.checks
        steps = self.params.get("steps") or np.inf
        if (batch + 1) // every > self._checked and batch + 1 < steps:  # epoch ends: on_epoch_end
            self._checked = (batch + 1) // every
            # batches of 1,000: the first check cost about 1 s instead of 3.6-5.2 s with 256
            loss = keras.losses.get(self.model.loss)(y, self.model.predict(x, 1000, verbose=0))
            self._record(
                float(np.mean(keras.ops.convert_to_numpy(loss))), self._epoch + (batch + 1) / steps
            )

    def on_epoch_end(self, epoch, logs=None):
        now = time.perf_counter()
        self.epoch_seconds.append(now - self._epoch_start)
        self._record((logs or {}).get(self.monitor), epoch + 1)
        if self.time_limit is not None and now - self._start >= self.time_limit:
            self.model.stop_training = True

    def _record(self, value: float | None, epochs: float) -> None:
        if value is not None:
            self.log.append((float(epochs), float(value), time.perf_counter() - self._start))
        reached = value is not None and self.sign * value <= self.sign * self.target
        if self.reached_epoch is None and reached:
            self.reached_epoch, self.reached_seconds = epochs, time.perf_counter() - self._start
            if self.stop:
                self.model.stop_training = True

    @property
    def total_seconds(self) -> float:
        return sum(self.epoch_seconds)

    def summary(self) -> str:
        """One line: epochs, total time, and when the target was reached (or that it was not)."""
        done = f"{len(self.epoch_seconds)} epochs in {self.total_seconds:.0f} s"
        if self.reached_epoch is None:
            return f"{done}; {self.monitor} never reached {self.target}"
        relation = "<=" if self.sign > 0 else ">="
        return (
            f"{done}; {self.monitor} {relation} {self.target} after {self.reached_when()} "
            f"({self.reached_seconds:.0f} s)"
        )

    def reached_when(self) -> str:
        """When the target was first reached: 'epoch 2', or '0.75 epochs' between epoch ends."""
        epochs = self.reached_epoch
        return f"epoch {epochs:.0f}" if float(epochs).is_integer() else f"{epochs:.2f} epochs"


class ReconstructionGIF(keras.callbacks.Callback):
    """Save one frame per epoch (fixed images over their reconstructions) and write an animated
    GIF with Pillow when training ends, each frame under a band that names its epoch; no window
    opens, so it works headless.

    ``images``: a few float32 (n, h, w, 3) images in [0, 1]. ``frames`` holds the frames as
    uint8 arrays (the first one before training); ``path`` receives the GIF.
    """

    def __init__(self, images: np.ndarray, path: str | os.PathLike, ms_per_frame: int = 400):
        super().__init__()
        self.images, self.path, self.ms_per_frame = (
            np.asarray(images, np.float32),
            path,
            ms_per_frame,
        )
        self.frames: list[np.ndarray] = []

    def on_train_begin(self, logs=None):
        self._add_frame()

    def on_epoch_end(self, epoch, logs=None):
        self._add_frame()

    def on_train_end(self, logs=None):
        labels = ["before training", *(f"epoch {i}" for i in range(1, len(self.frames)))]
        first, *rest = map(labelled_frame, self.frames, labels)
        first.save(self.path, save_all=True, append_images=rest, duration=self.ms_per_frame, loop=0)

    def _add_frame(self) -> None:
        rebuilt = np.asarray(self.model.predict(self.images, verbose=0))
        rows = [np.concatenate(list(batch), axis=1) for batch in (self.images, rebuilt)]
        self.frames.append((np.clip(np.concatenate(rows, axis=0), 0, 1) * 255).astype(np.uint8))


LABEL_HEIGHT = 14  # pixels: the band above a GIF frame that names its epoch


def labelled_frame(frame: np.ndarray, label: str) -> Image.Image:
    """``frame`` (uint8, h x w x 3) under a white band with ``label`` in black."""
    height, width = frame.shape[:2]
    image = Image.new("RGB", (width, height + LABEL_HEIGHT), "white")
    image.paste(Image.fromarray(frame), (0, LABEL_HEIGHT))
    ImageDraw.Draw(image).text((3, 1), label, fill="black")
    return image


class KLWarmUp(keras.callbacks.Callback):
    """Raise a VAE's ``kl_weight`` (a ``keras.Variable``) linearly from 0 to 1 over the first
    ``steps`` batches, so the decoder learns to use the codes before the KL term pulls them to
    the prior (Bowman et al., 2016); this avoids posterior collapse, codes that carry nothing."""

    def __init__(self, steps: int):
        super().__init__()
        self.steps, self._batch = max(1, steps), 0

    def on_train_begin(self, logs=None):
        self._batch = 0

    def on_train_batch_begin(self, batch, logs=None):
        self._batch += 1
        self.model.kl_weight.assign(min(1.0, self._batch / self.steps))
