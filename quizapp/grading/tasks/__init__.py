"""Task definitions, grouped by family (one module each; shared builders in `shared`), in the
order of `task_order.py` (`quizapp tasks list`)."""

from __future__ import annotations

from quizapp.grading.task import Task
from quizapp.grading.task_order import TASK_ORDER
from quizapp.grading.tasks import dropout, linear, penalties, training

_FAMILIES = (penalties, dropout, linear, training)


def _ordered() -> list[Task]:
    every = [t for family in _FAMILIES for t in family.TASKS]
    # a task missing from TASK_ORDER goes last (tests/test_stats_fast.py fails on it)
    return sorted(
        every, key=lambda t: TASK_ORDER.index(t.id) if t.id in TASK_ORDER else len(TASK_ORDER)
    )


TASKS: list[Task] = _ordered()

__all__ = ["TASKS"]
