"""Near-copies among the answers: each submission against the published solution and against
every other submission, with copydetect (winnowed fingerprints of the tokenised code, names and
strings normalised, so renamed variables and reworded comments still match).

Only the answer cells count (the cells nbgrader clears for students); the release's text of those
cells (signatures, docstrings, stubs) and its given code are boilerplate that never matches. A
near-copy is a flag for a person to look at, never a grade: see INSTRUCTORS.md for what it catches
and misses, and how the threshold was measured.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from itertools import combinations

import nbformat
from copydetect import CodeFingerprint, compare_files, defaults
from copydetect.utils import highlight_overlap
from markupsafe import escape

SOLUTION = "the published solution"
# Flag a pair when this share of one side's answer code is found in the other (measured:
# INSTRUCTORS.md, "Copies of the published solutions") ...
THRESHOLD = 0.6
# ... and the shared code is at least this long (characters of tokenised code, in which a name
# counts as one): a few shared lines are what any two correct answers have.
MIN_SHARED = 150
MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


@dataclass
class NearCopy:
    first: str  # a student
    second: str  # another student, or SOLUTION
    score: float  # the larger share of one side's answer code found in the other
    shared: int  # length of the shared code (tokenised characters)
    overlaps: list = field(default_factory=list, repr=False)  # (task, fingerprints, slices)

    def side_by_side(self) -> list[tuple[str, str, str]]:
        """Per task with shared code: (grade id, first's answer, second's), as HTML with the
        shared code marked (made only for the pairs a page shows)."""
        return [
            (task, marked(fa, sa), marked(fb, sb)) for task, (fa, fb), (sa, sb) in self.overlaps
        ]


def answer_ids(source: nbformat.NotebookNode) -> list[str]:
    """The grade ids of the answer cells (code cells nbgrader clears for students), in order."""
    return [
        c.metadata["nbgrader"]["grade_id"]
        for c in source.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    ]


def fingerprint(code: str, boilerplate=None) -> CodeFingerprint:
    return CodeFingerprint(
        "answer.py", defaults.NOISE_THRESHOLD, defaults.GUARANTEE_THRESHOLD - defaults.NOISE_THRESHOLD + 1,
        boilerplate=boilerplate, language="python", fp=io.StringIO(code),
    )  # fmt: skip


def answers(nb: nbformat.NotebookNode, ids: list[str], boilerplate) -> dict[str, CodeFingerprint]:
    """The fingerprint of each answer cell ``ids`` of ``nb`` (an empty one for a missing cell)."""
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in nb.cells}
    return {i: fingerprint(MARKERS.sub("", by_id.get(i, "")), boilerplate) for i in ids}


def marked(fp: CodeFingerprint, slices) -> str:
    """The answer as HTML, the shared code in <mark>."""
    if not len(slices[0]):
        return str(escape(fp.raw_code))
    return highlight_overlap(fp.raw_code, slices, "<mark>", "</mark>", escape_html=True)[0]


def compare(a: str, first: dict[str, CodeFingerprint], b: str, second: dict[str, CodeFingerprint]):
    """Two sets of answers compared task by task, as a ``NearCopy`` (near enough to flag or not),
    or None when they share nothing."""
    shared, covered, overlaps = [0, 0], [0, 0], []
    for task, fa in first.items():
        fb = second[task]
        covered[0] += fa.token_coverage if fa.hashes else 0
        covered[1] += fb.token_coverage if fb.hashes else 0
        if not fa.hashes or not fb.hashes:
            continue
        overlap, shares, slices = compare_files(fa, fb)
        if overlap:
            shared[0] += overlap
            shared[1] += round(shares[1] * fb.token_coverage)
            overlaps.append((task, (fa, fb), slices))
    if not overlaps:
        return None
    score = max(shared[0] / covered[0], shared[1] / covered[1])
    return NearCopy(a, b, float(score), int(shared[0]), overlaps)


def all_pairs(
    submissions: dict[str, nbformat.NotebookNode],
    source: nbformat.NotebookNode,
    release: nbformat.NotebookNode,
) -> list[NearCopy]:
    """Every submission compared with the solution and with every other one (most similar
    first); pairs that share nothing are left out."""
    ids = answer_ids(source)
    given = "\n\n".join(c.source for c in release.cells if c.cell_type == "code")
    boilerplate = list(fingerprint(given).hashes)
    prints = {s: answers(nb, ids, boilerplate) for s, nb in submissions.items()}
    solution = answers(source, ids, boilerplate)
    pairs = [compare(s, fp, SOLUTION, solution) for s, fp in prints.items()]
    pairs += [compare(a, fa, b, fb) for (a, fa), (b, fb) in combinations(prints.items(), 2)]
    return sorted((p for p in pairs if p), key=lambda p: (-p.score, -p.shared))


def near_copies(pairs: list[NearCopy], threshold: float = THRESHOLD) -> list[NearCopy]:
    return [p for p in pairs if p.score >= threshold and p.shared >= MIN_SHARED]
