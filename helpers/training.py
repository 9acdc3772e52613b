"""The course's fast training recipe (Lab 02): Adam with a linear warm-up and a cosine decay."""

from __future__ import annotations

import keras


def warmup_cosine_adam(
    total_steps: int, peak_learning_rate: float, warmup_steps: int = 200
) -> keras.optimizers.Adam:
    """Adam whose learning rate rises linearly from 0 to ``peak_learning_rate`` over
    ``warmup_steps`` (at most a quarter of the run), then decays along a cosine to 0 at
    ``total_steps``, the number of batches of the whole training run."""
    if total_steps < 1:
        raise ValueError(
            f"total_steps must be at least 1 (epochs x batches per epoch), got {total_steps}."
        )
    warmup = min(warmup_steps, total_steps // 4)
    schedule = keras.optimizers.schedules.CosineDecay(
        0.0, decay_steps=total_steps - warmup, warmup_target=peak_learning_rate, warmup_steps=warmup
    )
    return keras.optimizers.Adam(schedule)
