"""The task catalog: every coding task, by id, in the order `quizapp tasks list` shows them.

Built one level above the task families: it imports `quizapp.grading.tasks` (on first use), and
the families import only `quizapp.grading.task` — so there is no import cycle. Importing this
module is cheap (no NumPy): task metadata is plain data, and each task's test cases are built
by a function that imports NumPy only when a grade actually runs.
"""

from __future__ import annotations

from quizapp.grading.task import Case, Task, UnknownTask

__all__ = ["Case", "Task", "UnknownTask", "all_tasks", "get_task", "task_ids"]

_REGISTRY: dict[str, Task] | None = None


def _load() -> dict[str, Task]:
    global _REGISTRY
    if _REGISTRY is None:
        from quizapp.grading.tasks import TASKS

        _REGISTRY = {t.id: t for t in TASKS}
    return _REGISTRY


def all_tasks() -> list[Task]:
    return list(_load().values())


def task_ids() -> list[str]:
    return list(_load())


def get_task(task_id: str) -> Task:
    try:
        return _load()[task_id]
    except KeyError:
        raise UnknownTask(task_id) from None
