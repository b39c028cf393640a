"""L2 (ridge, weight decay): penalty, gradient, closed-form and iterative ridge.

    penalty(w)   = lam·‖w‖² = lam·Σw_j²      (no ½: its gradient is 2·lam·w)
    objective(w) = ‖y − Xw‖² + lam·‖w‖²       (scikit-learn's Ridge(alpha=lam), no 1/n)

Keep the constant consistent: ½·lam·‖w‖² has gradient lam·w, lam·‖w‖² has 2·lam·w.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from solvers._validation import (
    FloatArray,
    as_array,
    as_int,
    as_scalar,
    check_design,
    check_fit_design,
)

__all__ = [
    "l2_gradient",
    "l2_penalty",
    "ridge_closed_form",
    "ridge_fit",
    "ridge_gradient_descent",
    "ridge_objective",
]

RidgeMethod = Literal["auto", "cholesky", "solve", "svd"]


def _lam(lam: Any) -> float:
    return as_scalar(lam, "lam", low=0.0)


def l2_penalty(w: Any, lam: float) -> float:
    """lam·Σw_j²."""
    wa = as_array(w, "w")
    return float(_lam(lam) * np.square(wa).sum())


def l2_gradient(w: Any, lam: float) -> FloatArray:
    """∇(lam·Σw_j²) = 2·lam·w."""
    return 2.0 * _lam(lam) * as_array(w, "w")


def ridge_objective(X: Any, y: Any, w: Any, lam: float) -> float:
    """‖y − Xw‖² + lam·‖w‖²."""
    Xa, ya = check_design(X, y)
    wa = as_array(w, "w", ndim=1)
    if wa.shape[0] != Xa.shape[1]:
        raise ValueError(
            f"w must have one entry per column of X ({Xa.shape[1]}), got {wa.shape[0]}"
        )
    r = ya - Xa @ wa
    return float(r @ r) + l2_penalty(wa, lam)


def _solve(X: FloatArray, y: FloatArray, lam: float, method: RidgeMethod) -> FloatArray:
    n, p = X.shape
    if p == 0:
        return np.zeros(0)
    if method == "auto":
        method = "cholesky" if lam > 0 else "svd"
    if method == "svd":
        # w = V·diag(s/(s² + lam))·Uᵀy; with lam = 0 this is the minimum-norm least squares.
        U, s, Vt = np.linalg.svd(X, full_matrices=False)
        cutoff = s.max(initial=0.0) * max(n, p) * np.finfo(float).eps
        d = np.where(s > cutoff, s / (s * s + lam), 0.0) if lam == 0 else s / (s * s + lam)
        return Vt.T @ (d * (U.T @ y))
    # Normal equations in the smaller dimension: (XᵀX + lam·I)w = Xᵀy, or the dual
    # w = Xᵀ(XXᵀ + lam·I)⁻¹y when p > n (same solution, an n × n system).
    dual = p > n
    A = X @ X.T if dual else X.T @ X
    A.flat[:: A.shape[0] + 1] += lam
    rhs = y if dual else X.T @ y
    if method == "cholesky":
        try:
            L = np.linalg.cholesky(A)
            z = np.linalg.solve(L.T, np.linalg.solve(L, rhs))
        except np.linalg.LinAlgError:
            return _solve(X, y, lam, "svd")
    else:
        try:
            z = np.linalg.solve(A, rhs)
        except np.linalg.LinAlgError:
            return _solve(X, y, lam, "svd")
    return X.T @ z if dual else z


def ridge_fit(
    X: Any,
    y: Any,
    lam: float,
    *,
    fit_intercept: bool = False,
    method: RidgeMethod = "auto",
) -> tuple[FloatArray, float]:
    """argmin_{w,b₀} ‖y − b₀ − Xw‖² + lam·‖w‖², the intercept b₀ unpenalised. Returns (w, b₀).

    The intercept is handled by centring X and y (the exact solution, as scikit-learn does).
    method: "cholesky" / "solve" on the normal equations (dual form when p > n), "svd" (stable,
    and the minimum-norm least-squares solution when lam = 0), "auto" = cholesky if lam > 0.
    """
    Xa, ya = check_fit_design(X, y)
    lam_ = _lam(lam)
    if method not in ("auto", "cholesky", "solve", "svd"):
        raise ValueError(f"method must be 'auto', 'cholesky', 'solve' or 'svd', got {method!r}")
    if not fit_intercept:
        return _solve(Xa, ya, lam_, method), 0.0
    x_mean = Xa.mean(axis=0)
    y_mean = float(ya.mean())
    w = _solve(Xa - x_mean, ya - y_mean, lam_, method)
    return w, y_mean - float(x_mean @ w)


def ridge_closed_form(X: Any, y: Any, lam: float) -> FloatArray:
    """argmin_w ‖y − Xw‖² + lam·‖w‖² = (XᵀX + lam·I)⁻¹Xᵀy, no intercept (sklearn Ridge)."""
    return ridge_fit(X, y, lam)[0]


def ridge_gradient_descent(
    X: Any,
    y: Any,
    lam: float,
    *,
    lr: float | None = None,
    max_iter: int = 10000,
    tol: float = 1e-10,
) -> FloatArray:
    """The same objective ‖y − Xw‖² + lam‖w‖² by gradient descent from w = 0.

    ∇ = 2·Xᵀ(Xw − y) + 2·lam·w. Default step 1/L with L = 2·(σ_max(X)² + lam), the gradient's
    Lipschitz constant. Stops when max|Δw| ≤ tol·max(‖w‖∞, 1).
    """
    Xa, ya = check_fit_design(X, y)
    lam_ = _lam(lam)
    max_iter_ = as_int(max_iter, "max_iter", low=1)
    tol_ = as_scalar(tol, "tol", low=0.0)
    p = Xa.shape[1]
    if lr is None:
        L = 2.0 * ((float(np.linalg.norm(Xa, 2)) ** 2 if p else 0.0) + lam_)
        step = 1.0 / L if L > 0 else 1.0
    else:
        step = as_scalar(lr, "lr", low=0.0, low_open=True)
    w = np.zeros(p)
    Xty = Xa.T @ ya
    for _ in range(max_iter_):
        grad = 2.0 * (Xa.T @ (Xa @ w) - Xty) + 2.0 * lam_ * w
        w_new = w - step * grad
        change = float(np.max(np.abs(w_new - w), initial=0.0))
        w = w_new
        if change <= tol_ * max(float(np.max(np.abs(w), initial=0.0)), 1.0):
            break
    return w
