"""L1 (Lasso): penalty, subgradient, proximal operator and solvers.

    penalty(w)   = lam·‖w‖₁ = lam·Σ|w_j|
    objective(w) = 1/(2n)·‖y − Xw‖² + lam·‖w‖₁      (scikit-learn's Lasso, no intercept)

The 1/(2n) matters: without it (‖y − Xw‖² + lam‖w‖₁, as some sources write) the same
solution needs a lam 2n times larger.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from solvers._coordinate_descent import FitResult, Precompute
from solvers._validation import (
    FloatArray,
    as_array,
    as_int,
    as_scalar,
    check_fit_design,
)
from solvers.elastic_net import (
    PathMethod,
    elastic_net_duality_gap,
    elastic_net_fit,
    elastic_net_objective,
    elastic_net_path,
)

__all__ = [
    "l1_penalty",
    "l1_prox",
    "l1_subgradient",
    "lasso_coordinate_descent",
    "lasso_duality_gap",
    "lasso_fista",
    "lasso_fit",
    "lasso_ista",
    "lasso_objective",
    "lasso_path",
    "soft_threshold",
]


def _lam(lam: Any) -> float:
    return as_scalar(lam, "lam", low=0.0)


def l1_penalty(w: Any, lam: float) -> float:
    """lam·Σ|w_j|."""
    return float(_lam(lam) * np.abs(as_array(w, "w")).sum())


def l1_subgradient(w: Any, lam: float) -> FloatArray:
    """lam·sign(w): the minimum-norm subgradient of lam‖w‖₁, 0 where w = 0."""
    return _lam(lam) * np.sign(as_array(w, "w"))


def soft_threshold(x: Any, t: Any) -> FloatArray:
    """sign(x)·max(|x| − t, 0), elementwise: the proximal operator of t‖·‖₁.

    prox_{t‖·‖₁}(x) = argmin_z ½‖z − x‖² + t‖z‖₁. `t` is a scalar or broadcasts against x;
    t ≥ 0.
    """
    xa = as_array(x, "x")
    if np.ndim(t) == 0:
        ta: float | FloatArray = as_scalar(t, "t", low=0.0)
    else:
        ta = as_array(t, "t")
        if (ta < 0).any():
            raise ValueError("t must be >= 0 everywhere")
        try:
            np.broadcast_shapes(xa.shape, ta.shape)
        except ValueError:
            raise ValueError(
                f"t must be a scalar or broadcast against x {xa.shape}, got shape {ta.shape}"
            ) from None
    return np.sign(xa) * np.maximum(np.abs(xa) - ta, 0.0)


def l1_prox(x: Any, lam: float, step: float = 1.0) -> FloatArray:
    """prox of step·lam‖·‖₁: argmin_z ½‖z − x‖² + step·lam‖z‖₁ = soft_threshold(x, step·lam)."""
    s = as_scalar(step, "step", low=0.0, low_open=True)
    return soft_threshold(x, _lam(lam) * s)


def lasso_objective(X: Any, y: Any, w: Any, lam: float) -> float:
    """1/(2n)·‖y − Xw‖² + lam·‖w‖₁."""
    return elastic_net_objective(X, y, w, lam, 1.0)


def lasso_duality_gap(X: Any, y: Any, w: Any, lam: float) -> float:
    """Upper bound on lasso_objective(w) − min, from scikit-learn's dual point; ≥ 0."""
    return elastic_net_duality_gap(X, y, w, lam, 1.0)


def lasso_fit(
    X: Any,
    y: Any,
    lam: float,
    *,
    fit_intercept: bool = False,
    w0: Any = None,
    precompute: Precompute = "auto",
    max_iter: int = 1000,
    tol: float = 1e-6,
) -> FitResult:
    """Minimise 1/(2n)·‖y − b₀ − Xw‖² + lam·‖w‖₁ by coordinate descent (see elastic_net_fit)."""
    return elastic_net_fit(
        X,
        y,
        lam,
        1.0,
        fit_intercept=fit_intercept,
        w0=w0,
        precompute=precompute,
        max_iter=max_iter,
        tol=tol,
    )


def lasso_coordinate_descent(
    X: Any, y: Any, lam: float, max_iter: int = 1000, tol: float = 1e-6
) -> FloatArray:
    """argmin_w 1/(2n)·‖y − Xw‖² + lam·‖w‖₁ — scikit-learn's Lasso(alpha=lam, fit_intercept=False).

    Cyclic coordinate descent, w_j ← S(x_jᵀr/n + (‖x_j‖²/n)·w_j, lam) / (‖x_j‖²/n), run on
    working sets, stopped by the duality gap (≤ tol·‖y‖²/n) or an exact polish.
    """
    return lasso_fit(X, y, lam, max_iter=max_iter, tol=tol).coef


def lasso_path(
    X: Any,
    y: Any,
    *,
    lams: Any = None,
    n_lams: int = 100,
    eps: float = 1e-3,
    precompute: Precompute = "auto",
    max_iter: int = 1000,
    tol: float = 1e-6,
    method: PathMethod = "auto",
) -> tuple[FloatArray, FloatArray]:
    """Lasso coefficients along a decreasing lam grid: (lams, coefs of shape (len, p)).

    "homotopy" (the default via "auto") follows the exact piecewise-linear path; "cd" uses
    warm-started coordinate descent with strong rules (see elastic_net_path).
    """
    return elastic_net_path(
        X,
        y,
        1.0,
        lams=lams,
        n_lams=n_lams,
        eps=eps,
        precompute=precompute,
        max_iter=max_iter,
        tol=tol,
        method=method,
    )


def _proximal_gradient(
    X: Any, y: Any, lam: float, max_iter: int, tol: float, accelerated: bool
) -> FloatArray:
    Xa, ya = check_fit_design(X, y)
    lam_ = _lam(lam)
    max_iter_ = as_int(max_iter, "max_iter", low=1)
    tol_ = as_scalar(tol, "tol", low=0.0)
    n, p = Xa.shape
    # Step 1/L with L = λ_max(XᵀX)/n, the Lipschitz constant of the smooth part's gradient.
    L = float(np.linalg.norm(Xa, 2)) ** 2 / n if p else 0.0
    if L == 0.0:
        return np.zeros(p)
    step = 1.0 / L
    Xty = Xa.T @ ya / n
    w = np.zeros(p)
    z = w.copy()
    t = 1.0
    for _ in range(max_iter_):
        grad = Xa.T @ (Xa @ z) / n - Xty
        w_new = soft_threshold(z - step * grad, step * lam_)
        if accelerated:
            t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
            z = w_new + ((t - 1.0) / t_new) * (w_new - w)
            t = t_new
        else:
            z = w_new
        change = float(np.max(np.abs(w_new - w)))
        w = w_new
        if change <= tol_ * max(float(np.max(np.abs(w))), 1.0):
            break
    return w


def lasso_ista(X: Any, y: Any, lam: float, max_iter: int = 10000, tol: float = 1e-10) -> FloatArray:
    """argmin 1/(2n)‖y − Xw‖² + lam‖w‖₁ by ISTA: w ← S(w − ∇/L, lam/L). O(1/k) in objective.

    Stops when max|Δw| ≤ tol·max(‖w‖∞, 1) or after max_iter steps.
    """
    return _proximal_gradient(X, y, lam, max_iter, tol, accelerated=False)


def lasso_fista(
    X: Any, y: Any, lam: float, max_iter: int = 10000, tol: float = 1e-10
) -> FloatArray:
    """The same objective by FISTA (Beck & Teboulle 2009): ISTA plus Nesterov momentum, O(1/k²)."""
    return _proximal_gradient(X, y, lam, max_iter, tol, accelerated=True)
