"""Reference models of the labs that are over, for comparisons in later labs.

Each builder returns an uncompiled functional Keras model, the same one the lab's solution builds.
"""

from __future__ import annotations

import keras


def simple_dense_autoencoder(code_size: int = 32) -> keras.Model:
    """Lab 01: 784 -> code_size (relu, layer ``code``) -> 784 (sigmoid); 50,992 parameters."""
    inputs = keras.Input(shape=(784,), name="image")
    code = keras.layers.Dense(code_size, activation="relu", name="code")(inputs)
    outputs = keras.layers.Dense(784, activation="sigmoid", name="reconstruction")(code)
    return keras.Model(inputs, outputs, name="simple_autoencoder")


def deep_dense_autoencoder(sizes: tuple[int, ...] = (128, 64, 32)) -> keras.Model:
    """Lab 01: 784 -> sizes -> mirrored sizes -> 784, relu then sigmoid; 222,384 parameters."""
    inputs = keras.Input(shape=(784,), name="image")
    x = inputs
    for i, units in enumerate(sizes):
        name = "code" if i == len(sizes) - 1 else f"encoder_{units}"
        x = keras.layers.Dense(units, activation="relu", name=name)(x)
    for units in reversed(sizes[:-1]):
        x = keras.layers.Dense(units, activation="relu", name=f"decoder_{units}")(x)
    outputs = keras.layers.Dense(784, activation="sigmoid", name="reconstruction")(x)
    return keras.Model(inputs, outputs, name="deep_autoencoder")
