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
    "01_dense_autoencoders": set(),
    "02_conv_autoencoder": set(),
    "03_denoising_inpainting": set(),
    "04_variational_autoencoder": set(),
    "05_lomography": set(),
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
