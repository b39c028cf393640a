"""Task definitions, grouped by family. Order here is the order of `quizapp tasks list`."""

from __future__ import annotations

from quizapp.grading.catalog import Task
from quizapp.grading.tasks import dropout, extras, linear, penalties, training

TASKS: list[Task] = [
    *penalties.TASKS,
    *dropout.TASKS,
    *linear.TASKS,
    *training.TASKS,
    *extras.TASKS,  # beyond PRODUCT.md's table
]

__all__ = ["TASKS"]
