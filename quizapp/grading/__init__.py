"""Judge-grade grading of coding answers: task catalog, sandboxed runner, comparison, verdicts.

The public names are imported lazily so that `import quizapp.grading` costs nothing; NumPy is
imported only when a grade runs. Nothing in this package imports Textual.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`: `quizapp grade` imports this package before spawning
if TYPE_CHECKING:
    from typing import Any

    from quizapp.grading.catalog import Case as Case
    from quizapp.grading.catalog import Task as Task
    from quizapp.grading.catalog import UnknownTask as UnknownTask
    from quizapp.grading.catalog import all_tasks as all_tasks
    from quizapp.grading.catalog import get_task as get_task
    from quizapp.grading.catalog import task_ids as task_ids
    from quizapp.grading.grader import GradingCancelled as GradingCancelled
    from quizapp.grading.grader import grade as grade
    from quizapp.grading.grader import grade_async as grade_async
    from quizapp.grading.grader import limits_for as limits_for
    from quizapp.grading.sandbox import CancelToken as CancelToken
    from quizapp.grading.sandbox import Limits as Limits
    from quizapp.grading.sandbox import WarmPool as WarmPool
    from quizapp.grading.sandbox import sandbox_info as sandbox_info
    from quizapp.grading.sandbox import spawn as spawn
    from quizapp.grading.verdicts import Failure as Failure
    from quizapp.grading.verdicts import Report as Report
    from quizapp.grading.verdicts import TestResult as TestResult
    from quizapp.grading.verdicts import Verdict as Verdict
    from quizapp.grading.verdicts import render_text as render_text

_EXPORTS = {
    "Case": "catalog",
    "Task": "catalog",
    "UnknownTask": "catalog",
    "all_tasks": "catalog",
    "get_task": "catalog",
    "task_ids": "catalog",
    "GradingCancelled": "grader",
    "grade": "grader",
    "grade_async": "grader",
    "limits_for": "grader",
    "CancelToken": "sandbox",
    "Limits": "sandbox",
    "WarmPool": "sandbox",
    "sandbox_info": "sandbox",
    "spawn": "sandbox",
    "Failure": "verdicts",
    "Report": "verdicts",
    "TestResult": "verdicts",
    "Verdict": "verdicts",
    "render_text": "verdicts",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'quizapp.grading' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"quizapp.grading.{module}"), name)
