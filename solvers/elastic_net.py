"""Elastic Net in scikit-learn's parameterisation (`lam` is sklearn's `alpha`).

    penalty(w)   = lam·(l1_ratio·‖w‖₁ + ½·(1 − l1_ratio)·‖w‖²)
    objective(w) = 1/(2n)·‖y − Xw‖² + penalty(w)

l1_ratio = 1 is the Lasso, l1_ratio = 0 is ridge with the ½ and the 1/(2n). Source 002 writes
the mixture without the ½ (α‖w‖₁ + (1 − α)‖w‖²); this module follows scikit-learn.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from solvers._coordinate_descent import FitResult, Precompute, Problem, enet_duality_gap, enet_solve
from solvers._homotopy import enet_homotopy_fit, lasso_homotopy_path
from solvers._validation import (
    FloatArray,
    as_array,
    as_int,
    as_scalar,
    check_design,
    check_fit_design,
)

PathMethod = Literal["auto", "cd", "homotopy"]

__all__ = [
    "elastic_net_coordinate_descent",
    "elastic_net_duality_gap",
    "elastic_net_fit",
    "elastic_net_objective",
    "elastic_net_path",
    "elastic_net_penalty",
    "lambda_max",
]


def _lam(lam: Any) -> float:
    return as_scalar(lam, "lam", low=0.0)


def _ratio(l1_ratio: Any) -> float:
    return as_scalar(l1_ratio, "l1_ratio", low=0.0, high=1.0)


def elastic_net_penalty(w: Any, lam: float, l1_ratio: float) -> float:
    """lam·(l1_ratio·‖w‖₁ + ½·(1 − l1_ratio)·‖w‖²), scikit-learn's ElasticNet penalty."""
    wa = as_array(w, "w")
    lam_, r = _lam(lam), _ratio(l1_ratio)
    return float(lam_ * (r * np.abs(wa).sum() + 0.5 * (1.0 - r) * np.square(wa).sum()))


def elastic_net_objective(X: Any, y: Any, w: Any, lam: float, l1_ratio: float) -> float:
    """1/(2n)·‖y − Xw‖² + lam·(l1_ratio·‖w‖₁ + ½·(1 − l1_ratio)·‖w‖²)."""
    Xa, ya = check_design(X, y)
    wa = _coef(w, Xa.shape[1])
    r = ya - Xa @ wa
    return float(r @ r) / (2 * Xa.shape[0]) + elastic_net_penalty(wa, lam, l1_ratio)


def elastic_net_duality_gap(X: Any, y: Any, w: Any, lam: float, l1_ratio: float) -> float:
    """An upper bound on objective(w) − min objective (scikit-learn's dual point), ≥ 0."""
    Xa, ya = check_design(X, y)
    wa = _coef(w, Xa.shape[1])
    lam_, r = _lam(lam), _ratio(l1_ratio)
    prob = Problem(Xa, ya, "residual")
    return enet_duality_gap(prob, wa, prob.grad_corr(wa), lam_ * r, lam_ * (1.0 - r))


def lambda_max(X: Any, y: Any, l1_ratio: float = 1.0) -> float:
    """The smallest lam with w = 0 optimal: max|Xᵀy| / (n·l1_ratio) (inf for l1_ratio = 0)."""
    Xa, ya = check_design(X, y)
    r = _ratio(l1_ratio)
    top = float(np.max(np.abs(Xa.T @ ya))) / Xa.shape[0] if Xa.shape[1] else 0.0
    if r == 0.0:
        return float("inf") if top > 0 else 0.0
    return top / r


def _coef(w: Any, p: int) -> FloatArray:
    wa = as_array(w, "w", ndim=1)
    if wa.shape[0] != p:
        raise ValueError(f"w must have one entry per column of X ({p}), got {wa.shape[0]}")
    return wa


def _center(
    X: FloatArray, y: FloatArray, fit_intercept: bool
) -> tuple[FloatArray, FloatArray, FloatArray, float]:
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), 0.0
    x_mean = X.mean(axis=0)
    y_mean = float(y.mean())
    return X - x_mean, y - y_mean, x_mean, y_mean


def elastic_net_fit(
    X: Any,
    y: Any,
    lam: float,
    l1_ratio: float,
    *,
    fit_intercept: bool = False,
    w0: Any = None,
    precompute: Precompute = "auto",
    max_iter: int = 1000,
    tol: float = 1e-6,
) -> FitResult:
    """Minimise 1/(2n)·‖y − b₀ − Xw‖² + lam·(l1_ratio·‖w‖₁ + ½(1 − l1_ratio)‖w‖²).

    b₀ (unpenalised) is fitted only with fit_intercept=True, by centring X and y as
    scikit-learn does. `w0` warm-starts the coefficients. From w = 0 the fit follows the exact
    homotopy in lam·l1_ratio (see `_homotopy_fit`; docs/solvers.md), and coordinate descent
    finishes only if it stops. `precompute`: "gram" forms XᵀX/n up front (best when n ≥ p),
    "residual" never forms it (best when p > n or p is wide), "auto" = gram iff n ≥ p and
    p ≤ 512, formed only when coordinate descent needs it. Stops when the duality gap ≤
    tol·‖y‖²/n or the exact finish (homotopy or polish) satisfies every KKT condition.
    """
    Xa, ya = check_fit_design(X, y)
    lam_, r = _lam(lam), _ratio(l1_ratio)
    max_iter_ = as_int(max_iter, "max_iter", low=1)
    tol_ = as_scalar(tol, "tol", low=0.0)
    if precompute not in ("auto", "gram", "residual"):
        raise ValueError(f"precompute must be 'auto', 'gram' or 'residual', got {precompute!r}")
    w_init = None if w0 is None else _coef(w0, Xa.shape[1])
    Xc, yc, x_mean, y_mean = _center(Xa, ya, fit_intercept)
    prob = Problem(Xc, yc, precompute)
    if precompute == "gram":
        prob.form_gram()  # now: the homotopy then reads its rows
    a, b = lam_ * r, lam_ * (1.0 - r)
    res = None
    if (w_init is None or not w_init.any()) and not _newton_case(prob, a, b):
        res = _homotopy_fit(prob, a, b, tol_, max_iter_)
    if res is None:
        res = enet_solve(prob, a, b, w0=w_init, tol=tol_, max_iter=max_iter_)
    intercept = y_mean - float(x_mean @ res.coef) if fit_intercept else 0.0
    return FitResult(res.coef, intercept, res.n_iter, res.duality_gap, res.converged)


def _newton_case(prob: Problem, a: float, b: float) -> bool:
    """Whether enet_solve starts with its dual Newton method (p > n, a real L2 term)."""
    return not prob.use_gram and b > 0.0 and b >= a / 8.0


def _homotopy_fit(prob: Problem, a: float, b: float, tol: float, max_iter: int) -> FitResult:
    """A cold-start fit by homotopy from lambda_max; coordinate descent finishes if it stops.

    Each event counts as one iteration against max_iter. The budget (3·min(n, p) + 50 events
    for the lasso, 3·p + 50 with an L2 term, and at most max_iter − 1) bounds the cost of a
    path with many sign changes; past it, or at a degenerate step, coordinate descent starts
    from the last point the homotopy reached (exact for a larger a) with the iterations left.
    """
    limit = min((min(prob.n, prob.p) if b == 0.0 else prob.p) * 3 + 50, max_iter - 1)
    if limit < 1:
        return enet_solve(prob, a, b, tol=tol, max_iter=max_iter)
    w, corr, events, exact = enet_homotopy_fit(prob, a, b, limit)
    if exact:
        return FitResult(w, 0.0, max(events, 1), enet_duality_gap(prob, w, corr, a, b), True)
    events = min(events, limit)
    w0 = w if w.any() else None
    res = enet_solve(prob, a, b, w0=w0, tol=tol, max_iter=max_iter - events)
    return FitResult(res.coef, 0.0, res.n_iter + events, res.duality_gap, res.converged)


def elastic_net_coordinate_descent(
    X: Any, y: Any, lam: float, l1_ratio: float, max_iter: int = 1000, tol: float = 1e-6
) -> FloatArray:
    """argmin_w 1/(2n)·‖y − Xw‖² + lam·(l1_ratio·‖w‖₁ + ½(1 − l1_ratio)·‖w‖²).

    scikit-learn's ElasticNet(alpha=lam, l1_ratio=l1_ratio, fit_intercept=False), by cyclic
    coordinate descent on working sets with an exact polish (see `elastic_net_fit`).
    """
    return elastic_net_fit(X, y, lam, l1_ratio, max_iter=max_iter, tol=tol).coef


def elastic_net_path(
    X: Any,
    y: Any,
    l1_ratio: float = 0.5,
    *,
    lams: Any = None,
    n_lams: int = 100,
    eps: float = 1e-3,
    precompute: Precompute = "auto",
    max_iter: int = 1000,
    tol: float = 1e-6,
    method: PathMethod = "auto",
) -> tuple[FloatArray, FloatArray]:
    """Coefficients along a decreasing grid of lam: returns (lams, coefs of shape (len, p)).

    Default grid as scikit-learn's enet_path: n_lams values log-spaced from lambda_max down
    to eps·lambda_max. method="cd": each fit is warm-started from the previous one, and its
    working set starts from the sequential strong rule |x_jᵀr/n| ≥ 2·a_k − a_{k−1},
    a = lam·l1_ratio (Tibshirani et al. 2012); the full KKT check afterwards catches any
    coordinate the rule wrongly discarded. method="homotopy" (l1_ratio = 1 only) follows the
    exact piecewise-linear lasso path (LARS-lasso) and falls back to "cd" for the rest of
    the grid if it meets a degenerate step. "auto" = homotopy for the lasso, else cd.
    """
    Xa, ya = check_fit_design(X, y)
    r = _ratio(l1_ratio)
    max_iter_ = as_int(max_iter, "max_iter", low=1)
    tol_ = as_scalar(tol, "tol", low=0.0)
    if lams is None:
        n_ = as_int(n_lams, "n_lams", low=1)
        eps_ = as_scalar(eps, "eps", low=0.0, high=1.0, low_open=True)
        if r == 0.0:
            raise ValueError("l1_ratio must be > 0 for the default lam grid; pass lams")
        top = lambda_max(Xa, ya, r)
        hi = np.log10(top) if top > 0 else 0.0
        grid = np.logspace(hi, hi + np.log10(eps_), n_) if top > 0 else np.zeros(n_)
    else:
        grid = as_array(lams, "lams", ndim=1, allow_empty=False)
        if (grid < 0).any():
            raise ValueError("lams must all be >= 0")
        grid = np.sort(grid)[::-1].copy()
    if method not in ("auto", "cd", "homotopy"):
        raise ValueError(f"method must be 'auto', 'cd' or 'homotopy', got {method!r}")
    if method == "homotopy" and r != 1.0:
        raise ValueError("method='homotopy' needs l1_ratio = 1 (the lasso path)")
    prob = Problem(Xa, ya, precompute)
    p = Xa.shape[1]
    coefs = np.empty((grid.size, p))
    w = np.zeros(p)
    start = 0
    if r == 1.0 and method != "cd":
        coefs, start = lasso_homotopy_path(prob, grid)
        if start:
            w = coefs[start - 1].copy()
    corr = prob.grad_corr(w)
    prev_a: float | None = float(grid[start - 1]) * r if start else None
    for k in range(start, grid.size):
        lam_k = grid[k]
        a, b = float(lam_k) * r, float(lam_k) * (1.0 - r)
        strong = None
        if prev_a is not None:
            strong = np.flatnonzero(np.abs(corr) >= 2.0 * a - prev_a)
        res = enet_solve(
            prob, a, b, w0=w, tol=tol_, max_iter=max_iter_, strong_set=strong, need_gap=False
        )
        w = res.coef
        coefs[k] = w
        corr = prob.grad_corr(w)
        prev_a = a
    return grid, coefs
