"""Binary logistic regression with an L1, L2 or Elastic Net penalty, by proximal gradient.

    f(w, b₀) = (1/n)·Σ_i log(1 + exp(−s_i·(x_iᵀw + b₀))) + lam·(r·‖w‖₁ + ½(1 − r)·‖w‖²)

with s_i = 2y_i − 1 ∈ {−1, +1}, r = l1_ratio (penalty "l1": r = 1, "l2": r = 0) and the
intercept b₀ unpenalised. This is scikit-learn's LogisticRegression with C = 1/(n·lam).

FISTA with backtracking and adaptive restart finds the support; a Newton polish on the
support (where f is smooth) then gives the optimum to rounding error, accepted only when the
signs and the KKT conditions off the support hold.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from solvers._coordinate_descent import ConvergenceWarning
from solvers._validation import FloatArray, as_array, as_int, as_scalar, check_design
from solvers.l1 import soft_threshold

__all__ = ["LogisticFit", "logistic_objective", "logistic_regression"]

Penalty = Literal["l1", "l2", "elasticnet"]


@dataclass(frozen=True)
class LogisticFit:
    coef: FloatArray
    intercept: float
    n_iter: int
    converged: bool


def _ratio(penalty: str, l1_ratio: float | None) -> float:
    if penalty == "l1":
        return 1.0
    if penalty == "l2":
        return 0.0
    if penalty == "elasticnet":
        if l1_ratio is None:
            raise ValueError("l1_ratio must be given (in [0, 1]) when penalty='elasticnet'")
        return as_scalar(l1_ratio, "l1_ratio", low=0.0, high=1.0)
    raise ValueError(f"penalty must be 'l1', 'l2' or 'elasticnet', got {penalty!r}")


def _labels(y: FloatArray) -> FloatArray:
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y must hold binary labels 0 and 1")
    return 2.0 * y - 1.0


def _both_classes(y: FloatArray) -> None:
    if y.min() == y.max():  # the unpenalised intercept would run off to ±inf
        raise ValueError("y must contain both classes 0 and 1")


def _loss_grad(
    Xb: FloatArray, s: FloatArray, theta: FloatArray
) -> tuple[float, FloatArray, FloatArray]:
    """Mean logistic loss, its gradient and the per-sample sigmoid(−margin)."""
    m = s * (Xb @ theta)
    loss = float(np.logaddexp(0.0, -m).mean())
    sig = np.exp(-np.logaddexp(0.0, m))  # σ(−m), stable
    grad = -(Xb.T @ (s * sig)) / Xb.shape[0]
    return loss, grad, sig


def logistic_objective(
    X: Any,
    y: Any,
    w: Any,
    intercept: float,
    lam: float,
    penalty: Penalty = "l2",
    l1_ratio: float | None = None,
) -> float:
    """f(w, b₀) above."""
    Xa, ya = check_design(X, y)
    s = _labels(ya)
    wa = as_array(w, "w", ndim=1)
    lam_ = as_scalar(lam, "lam", low=0.0)
    r = _ratio(penalty, l1_ratio)
    m = s * (Xa @ wa + float(intercept))
    pen = lam_ * (r * np.abs(wa).sum() + 0.5 * (1 - r) * (wa @ wa))
    return float(np.logaddexp(0.0, -m).mean() + pen)


def logistic_regression(
    X: Any,
    y: Any,
    lam: float,
    penalty: Penalty = "l2",
    l1_ratio: float | None = None,
    *,
    fit_intercept: bool = True,
    max_iter: int = 5000,
    tol: float = 1e-10,
) -> LogisticFit:
    """argmin_{w, b₀} f(w, b₀) (module docstring) by FISTA + Newton polish. lam > 0."""
    Xa, ya = check_design(X, y)
    s = _labels(ya)
    if fit_intercept:
        _both_classes(ya)
    lam_ = as_scalar(lam, "lam", low=0.0, low_open=True)
    r = _ratio(penalty, l1_ratio)
    it_max = as_int(max_iter, "max_iter", low=1)
    tol_ = as_scalar(tol, "tol", low=0.0)
    n, p = Xa.shape
    Xb = np.hstack([Xa, np.ones((n, 1))]) if fit_intercept else Xa
    d = Xb.shape[1]
    a, b = lam_ * r, lam_ * (1.0 - r)
    pen_mask = np.ones(d)
    if fit_intercept:
        pen_mask[-1] = 0.0
    thr = a * pen_mask

    def smooth(theta: FloatArray) -> tuple[float, FloatArray]:
        loss, grad, _ = _loss_grad(Xb, s, theta)
        wpen = theta * pen_mask
        return loss + 0.5 * b * float(wpen @ wpen), grad + b * wpen

    def prox(z: FloatArray, step: float) -> FloatArray:
        return soft_threshold(z, step * thr)

    def F(theta: FloatArray) -> float:
        return smooth(theta)[0] + a * float(np.abs(theta * pen_mask).sum())

    # Lipschitz bound of the smooth gradient: ‖X‖²/(4n) + b; backtracking refines it.
    L = max(float(np.linalg.norm(Xb, 2)) ** 2 / (4.0 * n) + b, 1e-12)
    theta = np.zeros(d)
    z = theta.copy()
    t = 1.0
    f_old = F(theta)
    converged = False
    it = 0
    for it in range(1, it_max + 1):
        fz, gz = smooth(z)
        while True:
            new = prox(z - gz / L, 1.0 / L)
            diff = new - z
            f_new_smooth = smooth(new)[0]
            if f_new_smooth <= fz + float(gz @ diff) + 0.5 * L * float(diff @ diff) + 1e-15:
                break
            L *= 2.0
        f_new = f_new_smooth + a * float(np.abs(new * pen_mask).sum())
        t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        if f_new > f_old:  # adaptive restart (O'Donoghue & Candès 2015)
            z, t = theta.copy(), 1.0
            continue
        step_change = float(np.max(np.abs(new - theta)))
        z = new + ((t - 1.0) / t_new) * (new - theta)
        theta, t, f_old = new, t_new, f_new
        if step_change <= 1e-7 * max(1.0, float(np.max(np.abs(theta)))) or it % 50 == 0:
            polished = _newton_polish(Xb, s, theta, a, b, pen_mask)
            if polished is not None:
                theta = polished
                converged = True
                break
        if step_change <= tol_ * max(1.0, float(np.max(np.abs(theta)))):
            converged = True
            break
    if not converged:
        warnings.warn(
            f"logistic_regression did not converge in max_iter={it_max} steps",
            ConvergenceWarning,
            stacklevel=2,
        )
    w = theta[:p].copy()
    return LogisticFit(w, float(theta[p]) if fit_intercept else 0.0, it, converged)


def _newton_polish(
    Xb: FloatArray, s: FloatArray, theta: FloatArray, a: float, b: float, pen_mask: FloatArray
) -> FloatArray | None:
    """Newton's method on the support (smooth there); None unless signs and KKT hold."""
    free = (theta != 0.0) | (pen_mask == 0.0)
    S = np.flatnonzero(free)
    if S.size == 0:
        return None
    sign = np.sign(theta[S]) * pen_mask[S]
    th = theta.copy()
    n = Xb.shape[0]
    XS = Xb[:, S]
    for _ in range(50):
        _, grad, sig = _loss_grad(Xb, s, th)
        g = grad[S] + b * th[S] * pen_mask[S] + a * sign
        wts = sig * (1.0 - sig)
        H = (XS.T * wts) @ XS / n
        H[np.diag_indices_from(H)] += b * pen_mask[S] + 1e-300
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            return None
        th[S] -= step
        if float(np.max(np.abs(step))) <= 1e-15 * max(1.0, float(np.max(np.abs(th[S])))):
            break
    if not np.all(np.isfinite(th)):
        return None
    if np.any((np.sign(th[S]) != np.sign(theta[S])) & (pen_mask[S] > 0)):
        return None
    _, grad, _ = _loss_grad(Xb, s, th)
    g_full = grad + b * th * pen_mask
    if np.any(np.abs(g_full[S] + a * sign) > 1e-9 * max(1.0, a)):
        return None
    off = np.setdiff1d(np.arange(th.size), S)
    if off.size and np.any(np.abs(g_full[off]) > a * (1.0 + 1e-9) + 1e-12):
        return None
    return th
