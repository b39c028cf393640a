"""Binary logistic regression with an L1, L2 or Elastic Net penalty.

    f(w, b₀) = (1/n)·Σ_i log(1 + exp(−s_i·(x_iᵀw + b₀))) + lam·(r·‖w‖₁ + ½(1 − r)·‖w‖²)

with s_i = 2y_i − 1 ∈ {−1, +1}, r = l1_ratio (penalty "l1": r = 1, "l2": r = 0) and the
intercept b₀ unpenalised. This is scikit-learn's LogisticRegression with C = 1/(n·lam).

FISTA with backtracking and adaptive restart finds the support; an active-set damped Newton
method on the support's orthant (where f is smooth) then gives the optimum to rounding error.

Stopping is by the optimality conditions, never by monotone decrease: near the optimum a
proximal-gradient step can raise f by rounding, and restarting on that (as this module once
did) loops until max_iter. Each coordinate's KKT violation is measured relative to the size
of its own terms (`_kkt_violation`), so the test is scale-free and reachable in float64.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from solvers._coordinate_descent import ConvergenceWarning
from solvers._validation import (
    FloatArray,
    as_array,
    as_int,
    as_scalar,
    check_design,
    check_fit_design,
    overflow_error,
)
from solvers.l1 import soft_threshold

_TOO_LARGE = "the logistic loss or its Lipschitz bound"

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
    """argmin_{w, b₀} f(w, b₀) (module docstring) by FISTA + active-set Newton. lam > 0.

    Stops when every KKT condition holds to tol relative to its scale (see docs/solvers.md);
    the Newton finish accepts at max(tol, 1e-12), so tol=0 still ends at an exact optimum.
    """
    Xa, ya = check_fit_design(X, y)
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

    def smooth(lin: FloatArray, theta: FloatArray) -> tuple[float, FloatArray]:
        """Loss + L2 term and its gradient, from the linear predictor lin = Xb·theta."""
        m = s * lin
        loss = float(np.logaddexp(0.0, -m).mean())
        sig = np.exp(-np.logaddexp(0.0, m))  # σ(−m), stable
        wpen = theta * pen_mask
        grad = -(Xb.T @ (s * sig)) / n + b * wpen
        return loss + 0.5 * b * float(wpen @ wpen), grad

    def prox(z: FloatArray, step: float) -> FloatArray:
        return soft_threshold(z, step * thr)

    # Lipschitz bound of the smooth gradient: ‖X‖²/(4n) + b; backtracking refines it.
    L = max(float(np.linalg.norm(Xb, 2)) ** 2 / (4.0 * n) + b, 1e-12)
    if not np.isfinite(L):
        raise overflow_error(_TOO_LARGE)
    # Per-coordinate scale of the optimality conditions: |∂loss/∂θ_j| ≤ mean_i |x_ij|, and the
    # penalty adds a + b·|θ_j|. Rounding in the gradient is ~1e-16 of it; tol is relative to it.
    G = np.abs(Xb).mean(axis=0)
    theta = np.zeros(d)
    u = np.zeros(n)  # Xb·theta, kept alongside theta
    f_theta, g_theta = smooth(u, theta)
    F_theta = f_theta + a * float(np.abs(theta * pen_mask).sum())
    z, uz, fz, gz = theta, u, f_theta, g_theta
    t = 1.0
    restarted = False
    polish_level = 1e-3
    pattern, stable, failed = b"", 0, b""
    converged = False
    it = 0
    while it < it_max:
        it += 1
        while True:
            new = prox(z - gz / L, 1.0 / L)
            diff = new - z
            u_new = Xb @ new
            f_new, g_new = smooth(u_new, new)
            quad = fz + float(gz @ diff) + 0.5 * L * float(diff @ diff)
            if f_new <= quad + 1e-15 * abs(quad):
                break
            L *= 2.0
            if not np.isfinite(L):
                raise overflow_error(_TOO_LARGE)
        F_new = f_new + a * float(np.abs(new * pen_mask).sum())
        if not np.isfinite(F_new):
            raise overflow_error(_TOO_LARGE)
        rel = _kkt_violation(new, g_new, a, b, pen_mask, G)
        if rel <= tol_:
            theta = new
            converged = True
            break
        # Adaptive restart (O'Donoghue & Candès 2015) when the objective goes up — but a plain
        # proximal-gradient step from θ (just restarted) always decreases f in exact arithmetic,
        # so an increase there is rounding noise near the optimum: take the step and go on.
        if F_new > F_theta and not restarted:
            z, uz, fz, gz, t = theta, u, f_theta, g_theta, 1.0
            restarted = True
            continue
        restarted = False
        t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        beta = (t - 1.0) / t_new
        z = new + beta * (new - theta)
        uz = u_new + beta * (u_new - u)
        theta, u, t = new, u_new, t_new
        f_theta, g_theta, F_theta = f_new, g_new, F_new
        fz, gz = smooth(uz, z)
        # Polish once the sign pattern has held for a few steps (FISTA has found the support)
        # or the iterate is already close; a failed pattern is retried only much closer.
        now = np.sign(theta).astype(np.int8).tobytes()
        stable = stable + 1 if now == pattern else 0
        pattern = now
        if (stable >= 5 and now != failed) or rel <= polish_level:
            polish_level = min(polish_level, rel) * 1e-3
            failed = now
            polished = _newton_polish(Xb, s, theta, a, b, pen_mask, G, tol_)
            if polished is not None:
                theta = polished
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


def _kkt_violation(
    theta: FloatArray, grad: FloatArray, a: float, b: float, pen_mask: FloatArray, G: FloatArray
) -> float:
    """max_j of the smallest subgradient's |component|, each relative to its own scale.

    grad is the smooth part's gradient (loss + L2). For a penalised θ_j ≠ 0 the optimality
    condition is grad_j + a·sign(θ_j) = 0, at θ_j = 0 it is |grad_j| ≤ a; unpenalised
    coordinates need grad_j = 0. Scale: mean_i |x_ij| + a + b·|θ_j| (the size of the terms).
    """
    pen = pen_mask > 0.0
    ag = np.abs(grad)
    v = np.where(
        pen,
        np.where(theta != 0.0, np.abs(grad + a * np.sign(theta)), np.maximum(ag - a, 0.0)),
        ag,
    )
    scale = G + (a + b * np.abs(theta)) * pen
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(v > 0.0, v / scale, 0.0)
    return float(r.max(initial=0.0))


def _newton_polish(
    Xb: FloatArray,
    s: FloatArray,
    theta: FloatArray,
    a: float,
    b: float,
    pen_mask: FloatArray,
    G: FloatArray,
    tol: float,
) -> FloatArray | None:
    """Active-set Newton from θ: damped Newton on an orthant, coordinates leave and enter.

    With the support S and its signs fixed, f is loss + (b/2)‖θ‖² + a·sign·θ there: smooth
    and convex, so Newton with Armijo backtracking converges, quadratically at the end. A
    step that would cross zero stops at the boundary and that coordinate leaves S (the
    objective still decreases: the segment stays in the closed orthant). At the orthant's
    optimum, the worst coordinate off S whose |gradient| > a (beyond tol) enters with the
    sign that lowers f. Returns the point where every KKT condition holds to
    max(tol, 1e-12) (relative, as `_kkt_violation`), or None if that fails (the caller goes
    on with FISTA).
    """
    n, d = Xb.shape
    th = theta.copy()
    # Without an L1 term there are no orthants: every coordinate is free.
    free = np.ones(d, dtype=bool) if a == 0.0 else (th != 0.0) | (pen_mask == 0.0)
    sign = np.sign(th) * pen_mask
    lin = Xb @ th
    level = max(tol, 1e-12)

    def value(lin_: FloatArray, v: FloatArray) -> float:
        vp = v * pen_mask
        return float(np.logaddexp(0.0, -s * lin_).mean() + 0.5 * b * (vp @ vp) + a * (sign @ v))

    f = value(lin, th)
    extra = 0
    for _ in range(100 + 2 * d):
        m = s * lin
        sig = np.exp(-np.logaddexp(0.0, m))  # σ(−m)
        grad = -(Xb.T @ (s * sig)) / n + b * th * pen_mask  # smooth part, every coordinate
        S = np.flatnonzero(free)
        g = grad[S] + a * sign[S]
        scale = G[S] + (a + b * np.abs(th[S])) * pen_mask[S]
        rel_S = float(np.max(np.abs(g) / np.maximum(scale, 1e-300), initial=0.0))
        # Optimal on the orthant to `level`: two more Newton steps take it to rounding (it
        # converges quadratically there), then the coordinates off S are checked and the
        # worst violator enters.
        if rel_S <= level and (extra >= 2 or rel_S <= 1e-15):
            if _kkt_violation(th, grad, a, b, pen_mask, G) <= level:
                return th
            off = np.flatnonzero(~free)
            exceed = np.abs(grad[off]) - a
            j = off[int(np.argmax(exceed))]
            free[j] = True
            sign[j] = -np.sign(grad[j])
            extra = 0
            continue
        if rel_S <= level:
            extra += 1
        if S.size == 0:
            return None
        XS = Xb[:, S]
        wts = sig * (1.0 - sig)
        H = (XS.T * wts) @ XS / n
        H.flat[:: S.size + 1] += b * pen_mask[S]
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            return None
        decrement = float(g @ step)  # Newton decrement², > 0 for a convex f
        if not (np.all(np.isfinite(step)) and decrement > 0.0):
            if extra:  # already optimal to `level`; only rounding is left
                extra = 2
                continue
            return None
        # The largest t ≤ 1 that keeps every penalised coordinate in its orthant.
        t_max, hit = 1.0, -1
        if a > 0.0:
            pen_S = pen_mask[S] > 0.0
            new_sign = np.sign(th[S] - step)
            cross = np.flatnonzero(pen_S & (new_sign != sign[S]) & (step != 0.0))
            if cross.size:
                ts = th[S][cross] / step[cross]
                k = int(np.argmin(ts))
                if ts[k] < 1.0:
                    t_max, hit = float(ts[k]), int(S[cross[k]])
        dlin = XS @ step
        t = t_max
        while True:
            cand = th.copy()
            cand[S] -= t * step
            if t == t_max and hit >= 0:
                cand[hit] = 0.0
            lin_c = lin - t * dlin
            f_c = value(lin_c, cand)
            if f_c <= f - 1e-4 * t * decrement + 1e-15 * abs(f):
                break
            t *= 0.5
            if t < 1e-12:
                break
        if t < 1e-12:
            if extra:  # already optimal to `level`; only rounding is left
                extra = 2
                continue
            return None
        if t == t_max and hit >= 0:
            free[hit] = False
            sign[hit] = 0.0
            lin_c = Xb @ cand  # the zeroed coordinate's rounding, recomputed
        th, lin, f = cand, lin_c, f_c
    return None
