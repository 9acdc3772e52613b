"""Prose states no measured number (COURSE_DESIGN 2.8): the solutions' markdown holds no decimal
number and no number with a unit of measure, except the course's constants listed per lab below
(targets, data sizes, worked examples of a task). A measured number is printed by a code cell,
from this run or from the full run's record (helpers/results.py). Nor does prose point at a run:
it cannot know which run its reader has."""

import json
import re

import pytest

from course_tools import ROOT

UNITS = r"dB|s|sec|seconds?|min|minutes?|hours?|nats|epochs?|reference epochs"
MEASURE = re.compile(
    rf"(?<![\w.])(?:\d+(?:\.\d+)?x\b|\d[\d,]*(?:\.\d+)?\s*(?:(?:{UNITS})\b|%)|\d[\d,]*\.\d+)"
)
RUN_WORDS = re.compile(r"\b(?:this run|this machine|this CPU|this computer|on my machine)\b", re.I)

# Course constants that may stay in prose: each must occur in its lab (a stale entry fails).
CONSTANTS = {
    "01_dense_autoencoders": {
        "90 min",  # the estimated reading time
        "24.5",  # 784 / 32, the compression factor
        "1.0",  # Adadelta's learning rate in old Keras
        "0.001",  # its default in Keras 3
        "0.5",  # a grey pixel, the blank guess
        "0.69",  # ln 2, BCE's minimum at a grey pixel
        "6 dB",  # PSNR: the error halved in amplitude
        "100 dB",  # the PSNR cap for identical images
        "0.9",  # Task D1's worked examples
        "0.1054",
        "0.01",
        "0.0527",
        "0.005",
        "0.2842",  # the reference course's test BCE targets
        "0.2819",
        "20 epochs",  # the reference's training length
    },
    "02_conv_autoencoder": {
        "90 min",  # the estimated time of reading and coding
        "17.13",  # the given summary's sizes (KB)
        "0.00",
        "0.2894",  # the target: the reference's validation BCE
        "20 epochs",  # the reference recipe
        "1.0",  # learning rates given as settings (the reference's Adadelta, Keras 3's, Lab 01's)
        "0.001",
        "0.002",
        "2 minutes",  # the training-time goal
        "0.01",  # SSIM's constants C1 and C2, and the task's worked examples
        "0.03",
        "1.9",
        "0.8001",
        "0.5",
        "0.25",
    },
    "03_denoising_inpainting": {
        "90 min",  # the estimated reading time
        "0.5",  # the grey of Task A3's block
        "100 dB",  # the PSNR cap for identical images
        "0.01",  # Task B1's worked example
        "0.25",
        "0.065",
        "11.87 dB",
        "0.13",
        "8.86 dB",
        "100 epochs",  # the reference's training length
        "2.0",  # the flower photos' licence, CC BY 2.0
    },
    "04_variational_autoencoder": {
        "90 min",  # the estimated reading time
        "0.5",  # Task B2's worked example: the KL of mean (1, 0), log-variance (0, 0)
        "100 epochs",  # the reference project's training budget
        "0.005",  # our recipe's peak learning rate (a setting)
        "5 nats",  # Task C1's bound
        "39%",  # N(0, I)'s mass within radius 1 (2-D)
        "86%",  # N(0, I)'s mass within radius 2 (2-D)
        "4.6%",  # N(0, 1)'s mass beyond +-2
        "0.01",  # the variance above which a latent dimension counts as active (a setting)
    },
    "05_lomography": {
        "120 min",  # the estimated reading time
        "9 hours",  # the reference project's training time
        "25 epochs",  # the reference project's training budget
        "0.99",  # Keras' default BatchNormalization momentum (Task B1's text)
        "18.0 dB",  # the Lomoencoder's held-out PSNR target
        "0.5 dB",  # Task D1's bound
        "23 dB",  # the latent autoencoder's held-out PSNR target
    },
}
LABS = sorted(p.parent.name for p in (ROOT / "solutions").glob("*/*.ipynb"))


def prose(lab: str) -> list[tuple[int, str]]:
    """(cell index, text) of each markdown cell of a solution, inline code spans removed."""
    cells = json.loads((ROOT / "solutions" / lab / f"{lab}.ipynb").read_text())["cells"]
    return [
        (i, re.sub(r"`[^`\n]*`", "", "".join(c["source"])))
        for i, c in enumerate(cells)
        if c["cell_type"] == "markdown"
    ]


def measured_numbers(text: str) -> list[str]:
    return [" ".join(m.split()) for m in MEASURE.findall(text)]


def test_the_rule_finds_measured_numbers():
    text = "In the full run 0.28 against 0.24; it took 95 s (2 min), 1.5x faster, 78% in 20 epochs."
    assert measured_numbers(text) == ["0.28", "0.24", "95 s", "2 min", "1.5x", "78%", "20 epochs"]
    assert measured_numbers("784 pixels, a 3 x 3 kernel, 28x28 images, Lab 05, $10^{-7}$") == []


@pytest.mark.parametrize("lab", LABS)
def test_prose_states_no_measured_number(lab):
    allowed = CONSTANTS[lab]
    found = [
        f"cell {i}: {number!r}"
        for i, text in prose(lab)
        for number in measured_numbers(text)
        if number not in allowed
    ]
    assert not found, (
        f"{lab}: numbers in markdown that a run measures belong in a printed line (this run's, "
        f"or the full run's record): {'; '.join(found)}. A course constant goes into CONSTANTS."
    )


@pytest.mark.parametrize("lab", LABS)
def test_every_allowed_constant_is_still_used(lab):
    used = {number for _, text in prose(lab) for number in measured_numbers(text)}
    assert CONSTANTS[lab] <= used, f"{lab}: not in its prose any more: {CONSTANTS[lab] - used}"


@pytest.mark.parametrize("lab", LABS)
def test_prose_does_not_point_at_a_run(lab):
    found = [f"cell {i}: {m!r}" for i, text in prose(lab) for m in RUN_WORDS.findall(text)]
    assert not found, f"{lab}: only printed text knows which run it is: {'; '.join(found)}"
