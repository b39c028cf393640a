"""Linear-model tasks: ridge (closed form, with an intercept), lasso and Elastic Net by coordinate
descent, lasso by ISTA, and L2 / L1 logistic regression."""

from __future__ import annotations

from typing import Any

from quizapp.grading.task import Case, Task
from quizapp.grading.tasks.shared import (
    NUMPY_ONLY,
    array,
    array_tuple,
    cd_compare,
    design,
    seeded,
    wrong,
)
from quizapp.grading.verdicts import Failure


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

    X, y = design(1, 30, 5)
    Xw, yw = design(2, 6, 10)  # more features than samples: only lam > 0 is well posed
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
        Xr, yr = design(10 + i, 40, 8)
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
    + NUMPY_ONLY,
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


def _lasso_cases() -> list[Case]:
    import numpy as np

    X, y = design(21, 60, 6)
    lam_max = float(np.max(np.abs(X.T @ y)) / X.shape[0])
    Xs, ys = design(22, 40, 3, noise=0.0)
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
        Xr, yr = design(30 + i, 50, 8)
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
    + NUMPY_ONLY,
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
    compare=cd_compare,
)


def _enet_cases() -> list[Case]:
    import numpy as np

    X, y = design(41, 60, 6)
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
        Xr, yr = design(50 + i, 50, 8)
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
    + NUMPY_ONLY,
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
    compare=cd_compare,
)


def ref_ridge_with_intercept(X: Any, y: Any, lam: float) -> tuple[Any, float]:
    from solvers.l2 import ridge_fit

    return ridge_fit(X, y, lam, fit_intercept=True)


# --- ridge with an intercept --------------------------------------------------------------------


def _ridge_intercept_cases() -> list[Case]:
    import numpy as np

    X, y = design(61, 30, 4)
    cases = [
        Case("offset data", (X, y + 5.0, 1.0)),
        Case("small problem", (np.array([[1.0], [2.0], [3.0]]), np.array([3.0, 5.0, 7.5]), 0.5)),
        Case("lam = 0", (X, y - 2.0, 0.0), group="edge cases"),
        Case("huge lam: w → 0, b → mean(y)", (X, y + 1.0, 1e7), group="edge cases"),
        Case("integer input", (np.array([[1, 2], [3, 1], [4, 4], [0, 2]]), np.array([3, 5, 9, 1]),
                               1.0), group="edge cases"),
    ]  # fmt: skip
    for i in range(2):
        Xr, yr = design(70 + i, 40, 6)
        cases.append(Case(f"random problem {i + 1}", (Xr, yr + 3 * i, 0.2), group="random"))
    return cases


RIDGE_INTERCEPT = Task(
    id="ridge_with_intercept",
    title="Ridge regression with an unpenalised intercept",
    topic="l2",
    params=("X", "y", "lam"),
    signature="def ridge_with_intercept(X, y, lam) -> tuple[np.ndarray, float]",
    statement="""\
# Ridge regression with an intercept

Return `(w, b)` minimising

```text
    ‖y − b·1 − Xw‖² + λ‖w‖²
```

— the intercept `b` is **not** penalised (scikit-learn's `Ridge(fit_intercept=True)`).
The exact solution centres the data: solve ridge on `X − mean(X)` and `y − mean(y)`, then
`b = mean(y) − mean(X) @ w`. Return `w` of shape (d,) and `b` as a number.

"""
    + NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef ridge_with_intercept(X, y, lam):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef ridge_with_intercept(X, y, lam):\n"
        "    X = np.asarray(X, dtype=float)\n    y = np.asarray(y, dtype=float)\n"
        "    xm, ym = X.mean(axis=0), y.mean()\n    Xc, yc = X - xm, y - ym\n"
        "    w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T @ yc)\n"
        "    return w, float(ym - xm @ w)\n"
    ),
    hints=(
        "Adding a column of ones to X would penalise the intercept too.",
        "Centre X and y, solve ridge without intercept, then recover b from the means.",
    ),
    reference="quizapp.grading.tasks.linear:ref_ridge_with_intercept",
    make_cases=_ridge_intercept_cases,
    compare=array_tuple(("w", "b")),
    core=False,
)


# --- lasso by ISTA ------------------------------------------------------------------------------


LASSO_ISTA = Task(
    id="lasso_ista",
    title="Lasso by ISTA (proximal gradient)",
    topic="l1",
    params=("X", "y", "lam", "max_iter", "tol"),
    signature="def lasso_ista(X, y, lam, max_iter=10000, tol=1e-10) -> np.ndarray",
    statement="""\
# Lasso by ISTA

Minimise the same objective as scikit-learn's `Lasso` (no intercept):

```text
    f(w) = 1/(2n)·‖y − Xw‖² + λ‖w‖₁
```

with the iterative shrinkage-thresholding algorithm: the smooth part has gradient
∇ = −Xᵀ(y − Xw)/n and Lipschitz constant L = σ_max(X)²/n; each step is

```text
    w ← S(w − ∇/L, λ/L)
```

(S = soft thresholding). Start at w = 0; stop after `max_iter` steps or when the largest change
is below `tol`. Graded by the objective value (to 1e-5) and the coefficients (to about
1e-3).

"""
    + NUMPY_ONLY,
    starter=(
        "import numpy as np\n\n\ndef lasso_ista(X, y, lam, max_iter=10000, tol=1e-10):\n    ...\n"
    ),
    solution=(
        "import numpy as np\n\n\ndef lasso_ista(X, y, lam, max_iter=10000, tol=1e-10):\n"
        "    X = np.asarray(X, dtype=float)\n    y = np.asarray(y, dtype=float)\n"
        "    n, d = X.shape\n    L = np.linalg.norm(X, 2) ** 2 / n\n    w = np.zeros(d)\n"
        "    if L == 0:\n        return w\n"
        "    for _ in range(max_iter):\n"
        "        z = w + X.T @ (y - X @ w) / (n * L)\n"
        "        new = np.sign(z) * np.maximum(np.abs(z) - lam / L, 0.0)\n"
        "        done = np.max(np.abs(new - w)) <= tol\n        w = new\n"
        "        if done:\n            break\n"
        "    return w\n"
    ),
    hints=(
        "L = σ_max(X)²/n: `np.linalg.norm(X, 2) ** 2 / n` (the 2-norm of a matrix is σ_max).",
        "The threshold is λ/L, not λ: the step size 1/L scales the L1 part too.",
    ),
    reference="solvers.l1:lasso_ista",
    make_cases=lambda: [c for c in _lasso_cases() if c.name != "keyword arguments"],
    compare=cd_compare,
    core=False,
)


# --- logistic regression with L2 / L1 -----------------------------------------------------------


def ref_logistic(X: Any, y: Any, lam: float, penalty: str) -> tuple[Any, float]:
    from solvers.logistic import logistic_regression

    fit = logistic_regression(X, y, lam, penalty)  # type: ignore[arg-type]
    return fit.coef, float(fit.intercept)


def ref_logistic_l2(X: Any, y: Any, lam: float) -> tuple[Any, float]:
    return ref_logistic(X, y, lam, "l2")


def ref_logistic_l1(X: Any, y: Any, lam: float) -> tuple[Any, float]:
    return ref_logistic(X, y, lam, "l1")


def _logistic_objective(X: Any, y: Any, w: Any, b: float, lam: float, r: float) -> float:
    import numpy as np

    s = 2.0 * np.asarray(y, dtype=float) - 1.0
    margin = s * (np.asarray(X, dtype=float) @ w + b)
    pen = lam * (r * np.abs(w).sum() + 0.5 * (1 - r) * (w @ w))
    return float(np.logaddexp(0.0, -margin).mean() + pen)


def _logistic_compare(r: float) -> Any:
    def compare(got: Any, expected: Any, case: Case) -> Failure | None:
        import numpy as np

        from quizapp.grading.compare import check_array, check_scalar, fmt, unpack_tuple

        values = unpack_tuple(got, 2)
        if isinstance(values, Failure):
            return values
        w_got, b_got = values
        w_ref, b_ref = expected
        failure = check_array(w_got, w_ref, what="w", values=False) or check_scalar(
            b_got, b_ref, rtol=1e30, atol=1e30, what="b"
        )
        if failure is not None:
            return failure
        X, y, lam = case.args
        w = np.asarray(w_got, dtype=float)
        f_got = _logistic_objective(X, y, w, float(b_got), lam, r)
        f_ref = _logistic_objective(X, y, np.asarray(w_ref), b_ref, lam, r)
        if f_got > f_ref + 1e-7 * max(1.0, abs(f_ref)):
            return wrong(
                f"your (w, b) has objective {f_got:.10g}, the minimum is {f_ref:.10g}",
                expected=fmt(np.asarray(w_ref)) + f", b = {b_ref:.6g}",
                got=fmt(w) + f", b = {float(b_got):.6g}",
                hint=case.hint
                or "check the 1/n on the loss, the ½ on the L2 term, that b is not "
                "penalised, and run to convergence",
            )
        return check_array(w, w_ref, rtol=1e-3, atol=1e-4, what="w") or check_scalar(
            b_got, b_ref, rtol=1e-3, atol=1e-4, what="b"
        )

    return compare


def _classification(seed: int, n: int, d: int, shift: float = 0.0) -> tuple[Any, Any]:
    import numpy as np

    rng = seeded(seed)
    X = rng.normal(size=(n, d))
    w = rng.normal(size=d) * 1.5
    p = 1.0 / (1.0 + np.exp(-(X @ w + shift)))
    return X, (rng.random(n) < p).astype(float)


def _logistic_cases() -> list[Case]:
    import numpy as np

    X, y = _classification(101, 80, 4)
    Xs, ys = _classification(102, 60, 3, shift=1.5)
    return [
        Case("moderate lam", (X, y, 0.05)),
        Case("unbalanced classes: the intercept matters", (Xs, ys, 0.1)),
        Case("strong lam", (X, y, 1.0), group="edge cases"),
        Case("integer input", (np.array([[0, 1], [1, 0], [1, 1], [2, 1], [0, 2], [2, 2]]),
                               np.array([0, 1, 1, 1, 0, 0]), 0.2), group="edge cases"),
        Case("random problem", (*_classification(103, 100, 6), 0.02), group="random"),
    ]  # fmt: skip


_LOGISTIC_STATEMENT = (
    """\
# Logistic regression with an {name} penalty

Binary labels `y` ∈ {{0, 1}}, `X` of shape (n, d). With sᵢ = 2yᵢ − 1 ∈ {{−1, +1}}, minimise

```text
    f(w, b) = (1/n)·Σᵢ log(1 + exp(−sᵢ·(xᵢᵀw + b)))  +  {penalty}
```

over the weights `w` and an **unpenalised** intercept `b` (scikit-learn's
`LogisticRegression(penalty="{name_lower}", C=1/(n·lam))`). Return `(w, b)` with `w` of shape (d,)
and `b` a number. Graded by the objective value (to a relative 1e-7) and the coefficients
(to 1e-3), so run your solver to convergence.
{method}
"""
    + NUMPY_ONLY
)

LOGISTIC_L2 = Task(
    id="logistic_regression_l2",
    title="Logistic regression with L2 (ridge) penalty",
    topic="l2",
    params=("X", "y", "lam"),
    signature="def logistic_regression_l2(X, y, lam) -> tuple[np.ndarray, float]",
    statement=_LOGISTIC_STATEMENT.format(
        name="L2",
        name_lower="l2",
        penalty="½·lam·‖w‖²",
        method="\nThe objective is smooth and strictly convex: Newton's method converges in a "
        "handful of steps; gradient descent works too but needs many iterations.\n",
    ),
    starter="import numpy as np\n\n\ndef logistic_regression_l2(X, y, lam):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef logistic_regression_l2(X, y, lam):\n"
        "    X = np.asarray(X, dtype=float)\n    s = 2.0 * np.asarray(y, dtype=float) - 1.0\n"
        "    n, d = X.shape\n    A = np.hstack([X, np.ones((n, 1))])\n"
        "    reg = lam * np.ones(d + 1)\n    reg[-1] = 0.0  # the intercept is not penalised\n"
        "    theta = np.zeros(d + 1)\n"
        "    for _ in range(100):\n"
        "        m = s * (A @ theta)\n        sig = 1.0 / (1.0 + np.exp(m))  # σ(−m)\n"
        "        grad = -(A.T @ (s * sig)) / n + reg * theta\n"
        "        H = (A.T * (sig * (1 - sig))) @ A / n + np.diag(reg)\n"
        "        step = np.linalg.solve(H + 1e-12 * np.eye(d + 1), grad)\n"
        "        theta -= step\n"
        "        if np.max(np.abs(step)) < 1e-12:\n            break\n"
        "    return theta[:d], float(theta[d])\n"
    ),
    hints=(
        "With sᵢ ∈ {−1, +1}, the gradient of the loss is −(1/n)·Σ sᵢ·σ(−mᵢ)·xᵢ, mᵢ = sᵢ(xᵢᵀw + b).",
        "Append a column of ones for b, and leave its entry out of the penalty.",
        "Newton: H = (1/n)·Aᵀ·diag(σ(m)(1 − σ(m)))·A + λ·I (0 for b); solve H·step = grad.",
    ),
    reference="quizapp.grading.tasks.linear:ref_logistic_l2",
    make_cases=_logistic_cases,
    compare=_logistic_compare(0.0),
    core=False,
)

LOGISTIC_L1 = Task(
    id="logistic_regression_l1",
    title="Logistic regression with L1 (lasso) penalty",
    topic="l1",
    params=("X", "y", "lam"),
    signature="def logistic_regression_l1(X, y, lam) -> tuple[np.ndarray, float]",
    statement=_LOGISTIC_STATEMENT.format(
        name="L1",
        name_lower="l1",
        penalty="lam·‖w‖₁",
        method="\nThe L1 term is not differentiable: use proximal gradient (ISTA/FISTA) — a "
        "gradient step on the smooth loss, then soft-thresholding of `w` (not `b`) by "
        "step·lam. The loss gradient is Lipschitz with L ≤ ‖[X, 1]‖₂²/(4n).\n",
    ),
    starter="import numpy as np\n\n\ndef logistic_regression_l1(X, y, lam):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef logistic_regression_l1(X, y, lam):\n"
        "    X = np.asarray(X, dtype=float)\n    s = 2.0 * np.asarray(y, dtype=float) - 1.0\n"
        "    n, d = X.shape\n    A = np.hstack([X, np.ones((n, 1))])\n"
        "    L = np.linalg.norm(A, 2) ** 2 / (4 * n)\n"
        "    theta = np.zeros(d + 1)\n    z = theta.copy()\n    t = 1.0\n"
        "    for _ in range(200000):\n"
        "        m = s * (A @ z)\n        grad = -(A.T @ (s / (1.0 + np.exp(m)))) / n\n"
        "        new = z - grad / L\n"
        "        new[:d] = np.sign(new[:d]) * np.maximum(np.abs(new[:d]) - lam / L, 0.0)\n"
        "        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2\n"
        "        z = new + (t - 1) / t_new * (new - theta)\n"
        "        done = np.max(np.abs(new - theta)) < 1e-13\n"
        "        theta, t = new, t_new\n"
        "        if done:\n            break\n"
        "    return theta[:d], float(theta[d])\n"
    ),
    hints=(
        "Gradient step on the log-loss for (w, b), then soft-threshold only the w part.",
        "The threshold is step·lam = lam/L.",
        "FISTA (momentum) converges much faster than plain ISTA; stop on a tiny change.",
    ),
    reference="quizapp.grading.tasks.linear:ref_logistic_l1",
    make_cases=_logistic_cases,
    compare=_logistic_compare(1.0),
    wall_s=10.0,
    core=False,
)

TASKS = [RIDGE, LASSO, ELASTIC_NET, RIDGE_INTERCEPT, LASSO_ISTA, LOGISTIC_L2, LOGISTIC_L1]
