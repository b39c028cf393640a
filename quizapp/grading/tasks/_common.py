"""Comparators shared by the task definitions. NumPy is imported lazily inside each one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from quizapp.grading.catalog import Case
from quizapp.grading.verdicts import Failure, Verdict


def _tol(case: Case, rtol: float, atol: float) -> tuple[float, float]:
    return (
        case.rtol if case.rtol is not None else rtol,
        case.atol if case.atol is not None else atol,
    )


# (*args, **kwargs) of a case -> [(what a common mistake returns, the hint for it), ...]
Diagnose = Callable[..., list[tuple[Any, str]]]


def _diagnose(failure: Failure, got: Any, case: Case, diagnose: Diagnose | None) -> Failure:
    """Name the mistake when a wrong value is exactly what a classic bug computes."""
    if diagnose is None or failure.verdict is not Verdict.WRONG_ANSWER:
        return failure
    import numpy as np

    try:
        value = np.asarray(got, dtype=float)
        for wrong, hint in diagnose(*case.args, **dict(case.kwargs)):
            wrong = np.asarray(wrong, dtype=float)
            if wrong.shape == value.shape and np.allclose(value, wrong, rtol=1e-6, atol=1e-12):
                failure.hint = hint
                break
    except Exception:  # a diagnosis is a bonus; never let it break the grade
        pass
    return failure


def scalar(rtol: float = 1e-5, atol: float = 1e-8, diagnose: Diagnose | None = None) -> Any:
    def compare(got: Any, expected: Any, case: Case) -> Failure | None:
        from quizapp.grading.compare import check_scalar

        r, a = _tol(case, rtol, atol)
        failure = check_scalar(got, float(expected), rtol=r, atol=a)
        return failure and _diagnose(failure, got, case, diagnose)

    return compare


def array(rtol: float = 1e-5, atol: float = 1e-8, diagnose: Diagnose | None = None) -> Any:
    def compare(got: Any, expected: Any, case: Case) -> Failure | None:
        from quizapp.grading.compare import check_array

        r, a = _tol(case, rtol, atol)
        failure = check_array(got, expected, rtol=r, atol=a)
        return failure and _diagnose(failure, got, case, diagnose)

    return compare


def int_pair(names: tuple[str, str]) -> Any:
    def compare(got: Any, expected: Any, case: Case) -> Failure | None:
        import numpy as np

        from quizapp.grading.compare import check_int, unpack_tuple

        if isinstance(got, np.ndarray) and got.shape == (2,):
            got = tuple(got)  # np.array([best, stop]) holds the same two ints
        values = unpack_tuple(got, 2)
        if isinstance(values, Failure):
            return values
        for name, g, e in zip(names, values, expected, strict=True):
            failure = check_int(g, int(e), what=name)
            if failure is not None:
                swapped = [
                    check_int(v, int(x)) for v, x in zip(values[::-1], expected, strict=True)
                ]
                if failure.verdict is Verdict.WRONG_ANSWER and swapped == [None, None]:
                    failure.hint = f"return ({names[0]}, {names[1]}) in that order"
                return failure
        return None

    return compare


def seeded(seed: int) -> Any:
    import numpy as np

    return np.random.default_rng(seed)
