"""The report's files: one self-contained HTML page per lab (the plot embedded, no scripts, no
links out: it opens offline and can be mailed) and a CSV of the per-task numbers."""

from __future__ import annotations

import base64
import csv
import io
import statistics
from datetime import datetime
from pathlib import Path

import jinja2
from matplotlib.figure import Figure

from instructor.report.copies import SOLUTION, NearCopy
from instructor.report.results import LabResults
from instructor.report.stats import TaskStats

MOST_SHOWN = 60  # side-by-side views on one page; the table lists every near-copy
TEMPLATE = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ r.lab }}: class report</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; max-width: 76rem; margin: 1.5rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: .5rem 0 1.2rem; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; }
.flag { background: #fff3cd; padding: .3rem .6rem; border-left: 4px solid #e0a800; margin: .3rem 0; }
.small { color: #666; font-size: 90%; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: .6rem; }
pre { background: #f6f8fa; padding: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; margin: .2rem 0; font-size: 13px; }
mark { background: #ffd6d6; }
</style></head><body>
<h1>{{ r.lab }}: class report</h1>
<p class="small">Made by <code>course.py report</code> on {{ made }} from the gradebook,
<code>autograded/</code> and <code>reports/{{ r.lab }}.csv</code>.</p>
<p><b>{{ r.students|length }}</b> submissions: {{ graded }} graded, {{ not_graded|length }} not graded
{% if not_graded %}({{ not_graded|join(", ") }}){% endif %}.
{% if median is not none %}Median score <b>{{ "%g"|format(median) }}</b> of {{ "%g"|format(r.max_score) }}. {% endif %}
{{ problems|length }} students with problems reported by <code>grade</code> (table below).</p>
{% for t in tasks if t.flag %}<div class="flag"><b>{{ t.grade_id }}</b>: {{ t.flag }}</div>{% endfor %}
{% if copies %}<div class="flag"><b>{{ copies|length }} near-copies</b> to look at (below): a flag, never a grade.</div>{% endif %}
<h2>Score distribution</h2>
<img alt="histogram of the scores" src="data:image/png;base64,{{ plot }}">
<h2>Tasks</h2>
<table><tr><th>grading cell</th><th class="n">points</th><th class="n">full</th><th class="n">partial</th>
<th class="n">none</th><th class="n">mean</th><th class="n">discrimination</th><th>flag</th></tr>
{% for t in tasks %}<tr><td>{{ t.grade_id }}</td><td class="n">{{ "%g"|format(t.points) }}</td>
<td class="n">{{ t.full }}</td><td class="n">{{ t.partial }}</td><td class="n">{{ t.none }}</td>
<td class="n">{{ "%.2f"|format(t.mean) }}</td>
<td class="n">{{ "%.2f"|format(t.discrimination) if t.discrimination is not none else "n/a" }}</td>
<td>{{ t.flag }}</td></tr>
{% endfor %}</table>
<p class="small">Over the {{ graded }} graded submissions. Discrimination: the correlation of the task's
score with the rest of the lab (near 1: strong submissions pass it and weak ones fail it; near 0 or
below: it separates nothing, look at its tests; n/a: everybody scored the same).</p>
<h2>Why grading cells failed</h2>
{% for t in tasks if t.groups %}<h3>{{ t.grade_id }}</h3>
<table><tr><th class="n">students</th><th>message</th><th>who</th></tr>
{% for g in t.groups %}<tr><td class="n">{{ g.students|length }}</td><td><code>{{ g.message }}</code></td>
<td class="small">{{ g.students|join(", ") }}</td></tr>
{% endfor %}</table>
{% else %}<p>No grading cell failed.</p>
{% endfor %}
<p class="small">The message of a failing check, or the first line of the exception; hidden tests'
code is never shown.</p>
<h2>Near-copies</h2>
{% set solution_copies = copies|selectattr("second", "equalto", solution)|list %}
{% set pairs = copies|rejectattr("second", "equalto", solution)|list %}
{% if copies %}
<table><tr><th>student</th><th>near-copy of</th><th class="n">similarity</th><th class="n">shared code</th></tr>
{% for c in solution_copies + pairs %}<tr><td>{{ c.first }}</td><td>{{ c.second }}</td><td class="n">{{ "%.0f%%"|format(100 * c.score) }}</td>
<td class="n">{{ c.shared }}</td></tr>
{% endfor %}</table>
{% set copied = solution_copies|map(attribute="first")|list %}
{% set shown = solution_copies + (pairs|rejectattr("first", "in", copied)|rejectattr("second", "in", copied)|list) %}
<p class="small">Side by side below: each copy of the published solution, and each pair of students
{% if pairs %}not both explained by it{% endif %} (at most {{ most_shown }}).</p>
{% for c in shown[:most_shown] %}<details><summary>{{ c.first }} and {{ c.second }}: {{ "%.0f%%"|format(100 * c.score) }}</summary>
{% for task, left, right in c.side_by_side() %}<p><b>{{ task }}</b></p><div class="pair"><pre>{{ left|safe }}</pre><pre>{{ right|safe }}</pre></div>
{% endfor %}</details>
{% endfor %}
{% else %}<p>None above {{ "%.0f%%"|format(100 * threshold) }}.</p>{% endif %}
<p class="small">Answer cells only, against the published solution and every other submission
(copydetect; names and strings normalised). Flagged from {{ "%.0f%%"|format(100 * threshold) }} of
one side's answer code found in the other, with at least {{ min_shared }} characters of shared code.
Marked: the shared code. A flag for a person to look at, never a grade (INSTRUCTORS.md says what it
catches and misses).</p>
<h2>Students</h2>
<p>Grading time: median {{ "%.1f"|format(time_median) if time_median is not none else "n/a" }} s,
longest {{ "%.1f"|format(time_max) if time_max is not none else "n/a" }} s.</p>
<table><tr><th>student</th><th class="n">score</th><th class="n">seconds</th><th>problems reported by <code>grade</code></th></tr>
{% for s in r.students %}<tr><td>{{ s.name }}</td>
<td class="n">{{ "%g"|format(s.score) if s.graded else "not graded" }}</td>
<td class="n">{{ "%.1f"|format(s.seconds) if s.seconds is not none else "" }}</td>
<td>{% for p in s.problems %}{{ p }}{% if not loop.last %}<br>{% endif %}{% endfor %}</td></tr>
{% endfor %}</table>
</body></html>
"""
)


def histogram(results: LabResults, median: float | None) -> str:
    """The score distribution of the graded submissions, as base64 PNG."""
    scores = [s.score for s in results.students if s.graded]
    top = results.max_score or 1
    bins = int(min(20, top)) if float(top).is_integer() else 20
    fig = Figure(figsize=(7, 2.8), dpi=100)
    ax = fig.subplots()
    ax.hist(scores, bins=bins + 1, range=(0, top + top / bins), align="left", rwidth=0.9)
    if median is not None:
        ax.axvline(median, color="#c44e52", linestyle="--", label=f"median {median:g}")
        ax.legend(frameon=False)
    ax.set(xlabel=f"score (of {top:g})", ylabel="students", title=f"{len(scores)} graded submissions")  # fmt: skip
    ax.yaxis.get_major_locator().set_params(integer=True)
    if float(top).is_integer():
        ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode()


def html(results, tasks, copies, threshold: float, min_shared: int, median) -> str:
    times = [s.seconds for s in results.students if s.seconds is not None]
    return TEMPLATE.render(
        r=results, tasks=tasks, copies=copies, threshold=threshold, min_shared=min_shared,
        median=median, graded=sum(s.graded for s in results.students),
        not_graded=[s.name for s in results.students if not s.graded],
        problems=[s for s in results.students if s.problems],
        time_median=statistics.median(times) if times else None,
        time_max=max(times, default=None), plot=histogram(results, median),
        made=datetime.now().strftime("%Y-%m-%d %H:%M"), solution=SOLUTION, most_shown=MOST_SHOWN,
    )  # fmt: skip


def write_csv(path: Path, tasks: list[TaskStats]) -> None:
    """One row per grading cell: the counts, mean, discrimination, flag and grouped messages."""
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["grading_cell", "points", "full", "partial", "none", "mean", "discrimination", "flag", "failures"])  # fmt: skip
        for t in tasks:
            failures = " | ".join(f"{len(g.students)} x {g.message}" for g in t.groups)
            d = "" if t.discrimination is None else round(t.discrimination, 3)
            writer.writerow([t.grade_id, t.points, t.full, t.partial, t.none, round(t.mean, 3), d, t.flag, failures])  # fmt: skip


def near_copies_text(copies: list[NearCopy]) -> list[str]:
    """The near-copies in two lines: the students close to the published solution, and how many
    pairs of students are close to each other (the page lists them)."""
    of_solution = [f"{c.first} ({100 * c.score:.0f}%)" for c in copies if c.second == SOLUTION]
    pairs = sum(c.second != SOLUTION for c in copies)
    lines = (
        [f"near-copies of the published solution: {', '.join(of_solution)}"] if of_solution else []
    )
    return lines + ([f"near-copies between students: {pairs} pairs"] if pairs else [])
