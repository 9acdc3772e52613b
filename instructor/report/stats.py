"""The class's numbers for one lab: the score distribution, and per graded task how many got
full, partial and no points, the mean, how well the task separates strong from weak submissions,
the failure messages grouped, and the flags worth a look."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import numpy as np

from instructor.report.results import LabResults

MOST = 0.5  # a task that more than this share of the class fails is flagged


@dataclass
class Group:
    message: str
    students: list[str]


@dataclass
class TaskStats:
    grade_id: str
    points: float
    full: int
    partial: int
    none: int
    mean: float
    discrimination: float | None  # correlation of the task's score with the rest of the lab
    groups: list[Group] = field(default_factory=list)  # most students first
    flag: str = ""


def discrimination(task: list[float], total: list[float]) -> float | None:
    """Pearson's correlation of the task's scores with the rest of the lab (total minus the
    task); None when either does not vary (nothing to separate)."""
    rest = np.subtract(total, task)
    if len(task) < 3 or np.std(task) == 0 or np.std(rest) == 0:
        return None
    return float(np.corrcoef(task, rest)[0, 1])


def flag(full: int, none: int, graded: int) -> str:
    if graded and none > MOST * graded:
        return f"most of the class failed it ({none} of {graded}): are the instructions clear?"
    if graded > 1 and full == graded:
        return "nobody lost a point: too easy, or tests too lax?"
    return ""


def groups(results: LabResults, grade_id: str) -> list[Group]:
    """The failure messages of one task, each with the students behind it, most common first."""
    by_message: dict[str, list[str]] = {}
    for student in results.students:
        if grade_id in student.failures:
            by_message.setdefault(student.failures[grade_id], []).append(student.name)
    ordered = sorted(by_message.items(), key=lambda item: (-len(item[1]), item[0]))
    return [Group(message, names) for message, names in ordered]


def task_stats(results: LabResults) -> list[TaskStats]:
    """Per graded task, over the students nbgrader graded (the others are counted apart)."""
    graded = [s for s in results.students if s.graded]
    totals = [s.score for s in graded]
    stats = []
    for task in results.tasks:
        scores = [s.scores.get(task.grade_id) or 0.0 for s in graded]
        full = sum(score >= task.points for score in scores)
        none = sum(score <= 0 for score in scores)
        stats.append(
            TaskStats(
                task.grade_id, task.points, full, len(scores) - full - none, none,
                statistics.fmean(scores) if scores else 0.0, discrimination(scores, totals),
                groups(results, task.grade_id), flag(full, none, len(scores)),
            )
        )  # fmt: skip
    return stats


def median_score(results: LabResults) -> float | None:
    scores = [s.score for s in results.students if s.graded]
    return statistics.median(scores) if scores else None
