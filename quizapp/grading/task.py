"""What a coding task is: its tests (`Case`) and its definition (`Task`).

Plain data, no NumPy. The task families in `quizapp.grading.tasks` build these; the catalog
(`quizapp.grading.catalog`) collects the families. Neither the families nor this module import
the catalog, so there is no import cycle between them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from quizapp.grading.verdicts import Failure

__all__ = ["Case", "Compare", "PropertyCheck", "Task", "TwinCheck", "UnknownTask"]

# (case, output) -> Failure | None, for tests graded by properties instead of a reference value
PropertyCheck = Callable[["Case", Any], "Failure | None"]
# (case, output, the twin case's output) -> Failure | None: a property of two calls
TwinCheck = Callable[["Case", Any, Any], "Failure | None"]
# (output, expected, case) -> Failure | None
Compare = Callable[[Any, Any, "Case"], "Failure | None"]


@dataclass(frozen=True)
class Case:
    """One test: arguments for the answer, and how its output is judged."""

    name: str
    args: tuple[Any, ...]
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    group: str = "examples"
    check: PropertyCheck | None = None  # None: compare with the reference's output
    hint: str = ""  # shown when this test is the first failure
    rtol: float | None = None
    atol: float | None = None
    check_inputs: bool = True  # fail if the answer modified an input array in place
    twin: str = ""  # an earlier case with the same inputs but another seed...
    twin_check: TwinCheck | None = None  # ...and what must hold between the two outputs


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    topic: str
    params: tuple[str, ...]
    signature: str
    statement: str  # Markdown, with the objective and conventions written out
    starter: str
    solution: str  # a model answer, shown after an attempt and graded by the tests
    hints: tuple[str, ...]
    reference: str  # "module:function" in solvers
    make_cases: Callable[[], list[Case]]
    compare: Compare
    rtol: float = 1e-5
    atol: float = 1e-8
    wall_s: float = 5.0
    core: bool = True  # one of PRODUCT.md's tasks (the rest are extras)

    @property
    def func_name(self) -> str:
        return self.signature.split("(", 1)[0].removeprefix("def ").strip()

    def reference_function(self) -> Callable[..., Any]:
        module, _, name = self.reference.partition(":")
        function: Callable[..., Any] = getattr(importlib.import_module(module), name)
        return function

    def reference_available(self) -> bool:
        try:
            self.reference_function()
        except (ImportError, AttributeError):
            return False
        return True


class UnknownTask(KeyError):
    def __init__(self, task_id: str) -> None:
        super().__init__(task_id)
        self.task_id = task_id

    def __str__(self) -> str:
        return f"unknown task {self.task_id!r}; `quizapp tasks list` shows the task ids"
