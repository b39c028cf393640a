"""Linear-model tasks: ridge in closed form, lasso and Elastic Net by coordinate descent."""

from __future__ import annotations

from typing import Any

from quizapp.grading.catalog import Case, Task
from quizapp.grading.tasks._common import array, seeded
from quizapp.grading.verdicts import Failure, Verdict

_NUMPY_ONLY = "Use Python and NumPy only (`import numpy as np`). Do not modify the inputs."


def _design(seed: int, n: int, p: int, noise: float = 0.1) -> tuple[Any, Any]:
    rng = seeded(seed)
    X = rng.normal(size=(n, p))
    w = rng.normal(size=p) * (rng.random(p) < 0.6)
    return X, X @ w + noise * rng.normal(size=n)


def _ridge_mistakes(X: Any, y: Any, lam: float) -> list[tuple[Any, str]]:
    import numpy as np

    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, d = X.shape
    A, b = X.T @ X, X.T @ y
    return [
        (np.linalg.solve(A + n * lam * np.eye(d), b), "this objective has no 1/n: add λ, "
         "not n·λ, to the diagonal"),
        (np.linalg.solve(A + 0.5 * lam * np.eye(d), b), "the gradient of λ‖w‖² is 2λw, the "
         "same factor 2 as the loss's: the system is (XᵀX + λI)w = Xᵀy"),
        (np.linalg.solve(A + 2 * lam * np.eye(d), b), "the factor 2 is on both terms and "
         "cancels: the system is (XᵀX + λI)w = Xᵀy"),
    ]  # fmt: skip


def _ridge_cases() -> list[Case]:
    import numpy as np

    X, y = _design(1, 30, 5)
    Xw, yw = _design(2, 6, 10)  # more features than samples: only lam > 0 is well posed
    cases = [
        Case("small problem", (np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
                               np.array([1.0, 2.0, 3.0]), 1.0)),
        Case("random, lam = 0.5", (X, y, 0.5)),
        Case("lam = 0 is least squares", (X, y, 0.0), group="edge cases"),
        Case("huge lam shrinks to ~0", (X, y, 1e6), group="edge cases"),
        Case("more features than samples", (Xw, yw, 0.3), group="edge cases"),
        Case("integer input", (np.array([[1, 2], [3, 4], [5, 7]]), np.array([1, 0, 2]), 2.0),
             group="edge cases"),
        Case("one feature", (X[:, :1], y, 1.0), group="edge cases"),
    ]  # fmt: skip
    for i in range(2):
        Xr, yr = _design(10 + i, 40, 8)
        cases.append(Case(f"random problem {i + 1}", (Xr, yr, 0.1 * (i + 1)), group="random"))
    return cases


RIDGE = Task(
    id="ridge_closed_form",
    title="Ridge regression in closed form",
    topic="l2",
    params=("X", "y", "lam"),
    signature="def ridge_closed_form(X, y, lam) -> np.ndarray",
    statement="""\
# Ridge regression, closed form

Return the minimiser (no intercept) of

```text
    ‖y − Xw‖² + λ‖w‖²
```

with `X` of shape (n, d), `y` of shape (n,), `lam` = λ ≥ 0 — **no** 1/n and **no** ½ in this
objective. Setting the gradient to zero gives the normal equations

```text
    (XᵀX + λI) w = Xᵀy
```

Return `w` with shape (d,). Prefer `np.linalg.solve` to forming an inverse. λ = 0 is
ordinary least squares (the tests use a full-rank X then).

"""
    + _NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef ridge_closed_form(X, y, lam):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef ridge_closed_form(X, y, lam):\n"
        "    X = np.asarray(X, dtype=float)\n    y = np.asarray(y, dtype=float)\n"
        "    A = X.T @ X + lam * np.eye(X.shape[1])\n"
        "    return np.linalg.solve(A, X.T @ y)\n"
    ),
    hints=(
        "Differentiate: −2Xᵀ(y − Xw) + 2λw = 0.",
        "λ is added to the diagonal of XᵀX: `X.T @ X + lam * np.eye(d)`.",
        "With this objective there is no n: do not multiply λ by the number of samples.",
    ),
    reference="solvers:ridge_closed_form",
    make_cases=_ridge_cases,
    compare=array(rtol=1e-6, atol=1e-8, diagnose=_ridge_mistakes),
)


def _enet_objective(X: Any, y: Any, w: Any, lam: float, ratio: float) -> float:
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


def _cd_compare(got: Any, expected: Any, case: Case) -> Failure | None:
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
    failure = check_array(got, expected, rtol=1e30, atol=1e30, what="w")  # type, shape, finite
    if failure is not None:
        return failure
    w = np.asarray(got, dtype=float)
    f_got = _enet_objective(X, y, w, lam, ratio)
    f_ref = _enet_objective(X, y, np.asarray(expected), lam, ratio)
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


def _lasso_cases() -> list[Case]:
    import numpy as np

    X, y = _design(21, 60, 6)
    lam_max = float(np.max(np.abs(X.T @ y)) / X.shape[0])
    Xs, ys = _design(22, 40, 3, noise=0.0)
    cases = [
        Case("small problem", (np.array([[1.0, 0.5], [0.0, 1.0], [1.0, -1.0], [2.0, 0.3]]),
                               np.array([1.0, 0.5, 0.2, 2.5]), 0.1)),
        Case("moderate lam", (X, y, 0.1)),
        Case("lam ≥ lam_max gives w = 0", (X, y, 1.01 * lam_max), group="edge cases",
             hint="when every |x_jᵀy|/n ≤ λ the solution is exactly zero"),
        Case("tiny lam ≈ least squares", (X, y, 1e-4), group="edge cases"),
        Case("noise-free data", (Xs, ys, 0.01), group="edge cases"),
        Case("keyword arguments", (X, y, 0.05), {"max_iter": 5000, "tol": 1e-8},
             group="edge cases"),
        Case("integer input", (np.array([[1, 2], [2, 1], [3, 5], [0, 1]]),
                               np.array([3, 3, 8, 1]), 0.5), group="edge cases"),
    ]  # fmt: skip
    for i in range(2):
        Xr, yr = _design(30 + i, 50, 8)
        cases.append(Case(f"random problem {i + 1}", (Xr, yr, 0.05 * (i + 1)), group="random"))
    return cases


LASSO = Task(
    id="lasso_coordinate_descent",
    title="Lasso by coordinate descent",
    topic="l1",
    params=("X", "y", "lam", "max_iter", "tol"),
    signature="def lasso_coordinate_descent(X, y, lam, max_iter=1000, tol=1e-6) -> np.ndarray",
    statement="""\
# Lasso by cyclic coordinate descent

Minimise scikit-learn's `Lasso` objective (with `fit_intercept=False`):

```text
    1/(2n)·‖y − Xw‖² + λ‖w‖₁
```

— note the **1/(2n)**. Start from w = 0 and update one coordinate at a time with the residual
r = y − Xw (excluding feature j's own contribution):

```text
    wⱼ ← S(xⱼᵀr₍ⱼ₎/n, λ) / (‖xⱼ‖²/n)
```

where S is soft thresholding. Stop after `max_iter` sweeps, or earlier when the largest
coefficient change in a sweep is below `tol`. Return `w` of shape (d,).

Graded by the objective value (to 1e-5) and the coefficients (to about 1e-3), not by your
exact stopping rule.

"""
    + _NUMPY_ONLY,
    starter=(
        "import numpy as np\n\n\n"
        "def lasso_coordinate_descent(X, y, lam, max_iter=1000, tol=1e-6):\n    ...\n"
    ),
    solution=(
        "import numpy as np\n\n\n"
        "def lasso_coordinate_descent(X, y, lam, max_iter=1000, tol=1e-6):\n"
        "    X = np.asarray(X, dtype=float)\n    y = np.asarray(y, dtype=float)\n"
        "    n, d = X.shape\n    w = np.zeros(d)\n    r = y.copy()\n"
        "    col_sq = (X * X).sum(axis=0) / n\n"
        "    for _ in range(max_iter):\n        biggest = 0.0\n"
        "        for j in range(d):\n"
        "            if col_sq[j] == 0.0:\n                continue\n"
        "            rho = X[:, j] @ r / n + col_sq[j] * w[j]\n"
        "            new = np.sign(rho) * max(abs(rho) - lam, 0.0) / col_sq[j]\n"
        "            if new != w[j]:\n"
        "                r -= X[:, j] * (new - w[j])\n"
        "                biggest = max(biggest, abs(new - w[j]))\n"
        "                w[j] = new\n"
        "        if biggest < tol:\n            break\n"
        "    return w\n"
    ),
    hints=(
        "Keep the residual r = y − Xw up to date instead of recomputing Xw each time.",
        "ρ_j = x_jᵀ(r + x_j w_j)/n; then w_j = S(ρ_j, λ)/(‖x_j‖²/n).",
        "Forgetting the 1/n makes λ n times weaker than scikit-learn's.",
    ),
    reference="solvers:lasso_coordinate_descent",
    make_cases=_lasso_cases,
    compare=_cd_compare,
)


def _enet_cases() -> list[Case]:
    import numpy as np

    X, y = _design(41, 60, 6)
    cases = [
        Case("l1_ratio = 0.5", (X, y, 0.1, 0.5)),
        Case("l1_ratio = 1 is the lasso", (X, y, 0.1, 1.0)),
        Case("l1_ratio = 0 is ridge with ½", (X, y, 0.3, 0.0)),
        Case("large lam gives w = 0", (X, y, 1e3, 0.7), group="edge cases"),
        Case("keyword arguments", (X, y, 0.05, 0.2), {"max_iter": 5000, "tol": 1e-8},
             group="edge cases"),
        Case("integer input", (np.array([[1, 2], [2, 1], [3, 5], [0, 1]]),
                               np.array([3, 3, 8, 1]), 0.5, 0.5), group="edge cases"),
    ]  # fmt: skip
    for i in range(2):
        Xr, yr = _design(50 + i, 50, 8)
        cases.append(Case(f"random problem {i + 1}", (Xr, yr, 0.05 * (i + 1), 0.3), group="random"))
    return cases


ELASTIC_NET = Task(
    id="elastic_net_coordinate_descent",
    title="Elastic Net by coordinate descent",
    topic="elastic_net",
    params=("X", "y", "lam", "l1_ratio", "max_iter", "tol"),
    signature=(
        "def elastic_net_coordinate_descent(X, y, lam, l1_ratio, max_iter=1000, tol=1e-6)"
        " -> np.ndarray"
    ),
    statement="""\
# Elastic Net by coordinate descent

Minimise scikit-learn's `ElasticNet` objective (`alpha` = `lam`, `fit_intercept=False`):

```text
    1/(2n)·‖y − Xw‖² + λr‖w‖₁ + ½λ(1 − r)‖w‖²
```

with r = `l1_ratio` ∈ [0, 1]. The coordinate update adds the L2 part to the denominator:

```text
    wⱼ ← S(xⱼᵀr₍ⱼ₎/n, λr) / (‖xⱼ‖²/n + λ(1 − r))
```

Stop after `max_iter` sweeps or when the largest change in a sweep is below `tol`. Return `w`.

"""
    + _NUMPY_ONLY,
    starter=(
        "import numpy as np\n\n\n"
        "def elastic_net_coordinate_descent(X, y, lam, l1_ratio, max_iter=1000, tol=1e-6):\n"
        "    ...\n"
    ),
    solution=(
        "import numpy as np\n\n\n"
        "def elastic_net_coordinate_descent(X, y, lam, l1_ratio, max_iter=1000, tol=1e-6):\n"
        "    X = np.asarray(X, dtype=float)\n    y = np.asarray(y, dtype=float)\n"
        "    n, d = X.shape\n    w = np.zeros(d)\n    r = y.copy()\n"
        "    col_sq = (X * X).sum(axis=0) / n\n"
        "    l1, l2 = lam * l1_ratio, lam * (1.0 - l1_ratio)\n"
        "    for _ in range(max_iter):\n        biggest = 0.0\n"
        "        for j in range(d):\n"
        "            if col_sq[j] + l2 == 0.0:\n                continue\n"
        "            rho = X[:, j] @ r / n + col_sq[j] * w[j]\n"
        "            new = np.sign(rho) * max(abs(rho) - l1, 0.0) / (col_sq[j] + l2)\n"
        "            if new != w[j]:\n"
        "                r -= X[:, j] * (new - w[j])\n"
        "                biggest = max(biggest, abs(new - w[j]))\n"
        "                w[j] = new\n"
        "        if biggest < tol:\n            break\n"
        "    return w\n"
    ),
    hints=(
        "Start from your lasso coordinate descent; only the threshold and denominator change.",
        "The L1 part thresholds with λr; the L2 part adds λ(1 − r) to the denominator.",
        "scikit-learn's ½ on the L2 term is why the denominator gets λ(1 − r), not 2λ(1 − r).",
    ),
    reference="solvers:elastic_net_coordinate_descent",
    make_cases=_enet_cases,
    compare=_cd_compare,
)

TASKS = [RIDGE, LASSO, ELASTIC_NET]
