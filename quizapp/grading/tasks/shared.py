"""What the task families share: comparators, case builders and messages.

Public on purpose (the families import from here, never from each other). NumPy is imported
lazily inside each function, so importing a family stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from quizapp.grading.task import Case
from quizapp.grading.verdicts import Failure, Verdict

__all__ = [
    "NUMPY_ONLY",
    "Diagnose",
    "array",
    "array_tuple",
    "cd_compare",
    "design",
    "enet_objective",
    "int_pair",
    "scalar",
    "seeded",
    "wrong",
]

NUMPY_ONLY = "Use Python and NumPy only (`import numpy as np`). Do not modify the inputs."


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


def wrong(
    message: str, *, expected: str | None = None, got: str | None = None, hint: str = ""
) -> Failure:
    """A wrong answer, with what was expected and what came back when known."""
    return Failure(Verdict.WRONG_ANSWER, message, expected=expected, got=got, hint=hint)


def design(seed: int, n: int, p: int, noise: float = 0.1) -> tuple[Any, Any]:
    """A seeded regression problem: X (n, p) and y = Xw + noise, w about 60 % non-zero."""
    rng = seeded(seed)
    X = rng.normal(size=(n, p))
    w = rng.normal(size=p) * (rng.random(p) < 0.6)
    return X, X @ w + noise * rng.normal(size=n)


def enet_objective(X: Any, y: Any, w: Any, lam: float, ratio: float) -> float:
    import numpy as np

    r = y - X @ w
    n = X.shape[0]
    return float(
        r @ r / (2 * n) + lam * ratio * np.abs(w).sum() + 0.5 * lam * (1 - ratio) * (w @ w)
    )


# A correct descent stopped by any reasonable rule at tol = 1e-6 (coefficient change, objective
# change, duality gap) ends within ~2e-6 of the minimum on these cases; the classic bugs (1/n,
# the ½ on the L2 term, λ/2, stopping after a few sweeps) miss it by more than 1e-3 on at least
# one case. Hence 1e-5 (relative to max(1, f)), with a factor 100 to spare on both sides.
_CD_OBJECTIVE_TOL = 1e-5
_CD_RTOL, _CD_ATOL = 1e-3, 3e-3


def cd_compare(got: Any, expected: Any, case: Case) -> Failure | None:
    """Coordinate descent stops at a tolerance, so judge the objective, then the coefficients.

    The objective is strictly convex on these problems (n > d), so a w whose objective is within
    1e-5 of the reference's is the answer. The coefficients must then agree only loosely
    (rtol 1e-3, atol 3e-3): a correct descent stopped by another rule (objective change < tol,
    scikit-learn's duality gap...) is up to ~1e-3 away from the exact minimiser, and a bound on
    the objective already pins w down that far (strong convexity).
    """
    import numpy as np

    from quizapp.grading.compare import check_array, fmt

    X, y, lam = case.args[:3]
    ratio = case.args[3] if len(case.args) > 3 else 1.0
    failure = check_array(got, expected, what="w", values=False)  # type, shape, finite
    if failure is not None:
        return failure
    w = np.asarray(got, dtype=float)
    f_got = enet_objective(X, y, w, lam, ratio)
    f_ref = enet_objective(X, y, np.asarray(expected), lam, ratio)
    scale = max(1.0, abs(f_ref))
    if f_got > f_ref + _CD_OBJECTIVE_TOL * scale:
        hint = "check the 1/n scaling: the update is S(x_jᵀr/n, λ) / (‖x_j‖²/n), and run until "
        hint += "the coefficients stop changing"
        if f_got < f_ref + 1e-3 * scale:
            hint = (
                "close, but not at the minimum: keep sweeping until the largest coefficient "
                "change in a sweep is below tol (not a fixed number of sweeps)"
            )
        return Failure(
            Verdict.WRONG_ANSWER,
            f"your w has objective {f_got:.8g}, the minimum is {f_ref:.8g} (objective: "
            "1/(2n)‖y − Xw‖² + penalty)",
            expected=fmt(np.asarray(expected)),
            got=fmt(w),
            max_abs=float(np.max(np.abs(w - expected))) if w.size else 0.0,
            hint=case.hint or hint,
        )
    return check_array(w, expected, rtol=_CD_RTOL, atol=_CD_ATOL, what="w")


def array_tuple(names: tuple[str, ...], rtol: float = 1e-6, atol: float = 1e-10) -> Any:
    """A tuple of arrays (floats where the reference returns a float), compared in order."""

    def compare(got: Any, expected: Any, case: Case) -> Failure | None:
        from quizapp.grading.compare import check_array, check_scalar, unpack_tuple

        values = unpack_tuple(got, len(names))
        if isinstance(values, Failure):
            return values
        for name, g, e in zip(names, values, expected, strict=True):
            if isinstance(e, float):
                failure = check_scalar(g, e, rtol=rtol, atol=atol, what=name)
            else:
                failure = check_array(g, e, rtol=rtol, atol=atol, what=name)
            if failure is not None:
                return failure
        return None

    return compare
