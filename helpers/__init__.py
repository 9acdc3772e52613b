"""Helpers for the autoencoder lab course.

Importing the package only quiets TensorFlow's logging (it must happen before TensorFlow is
imported); the modules are imported on their own: ``from helpers import data, plots, checks``.
"""

from helpers.runtime import quiet_tensorflow

quiet_tensorflow()
__version__ = "0.1.0"
