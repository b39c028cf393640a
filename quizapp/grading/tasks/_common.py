"""Comparators shared by the task definitions. NumPy is imported lazily inside each one."""

from __future__ import annotations

from typing import Any

from quizapp.grading.catalog import Case
from quizapp.grading.verdicts import Failure


def _tol(case: Case, rtol: float, atol: float) -> tuple[float, float]:
    return (
        case.rtol if case.rtol is not None else rtol,
        case.atol if case.atol is not None else atol,
    )


def scalar(rtol: float = 1e-5, atol: float = 1e-8) -> Any:
    def compare(got: Any, expected: Any, case: Case) -> Failure | None:
        from quizapp.grading.compare import check_scalar

        r, a = _tol(case, rtol, atol)
        return check_scalar(got, float(expected), rtol=r, atol=a)

    return compare


def array(rtol: float = 1e-5, atol: float = 1e-8) -> Any:
    def compare(got: Any, expected: Any, case: Case) -> Failure | None:
        from quizapp.grading.compare import check_array

        r, a = _tol(case, rtol, atol)
        return check_array(got, expected, rtol=r, atol=a)

    return compare


def int_pair(names: tuple[str, str]) -> Any:
    def compare(got: Any, expected: Any, case: Case) -> Failure | None:
        from quizapp.grading.compare import check_int, unpack_tuple

        values = unpack_tuple(got, 2)
        if isinstance(values, Failure):
            return values
        for name, g, e in zip(names, values, expected, strict=True):
            failure = check_int(g, int(e), what=name)
            if failure is not None:
                return failure
        return None

    return compare


def seeded(seed: int) -> Any:
    import numpy as np

    return np.random.default_rng(seed)
