"""The coordinate-descent engine behind Lasso and Elastic Net (scikit-learn's objective).

(A single fit from w = 0 first tries the exact homotopy in `solvers._homotopy`, see
`elastic_net_fit`; this engine finishes whatever the homotopy hands over, and runs paths
and warm starts.)

Minimises, for a = lam·l1_ratio and b = lam·(1 − l1_ratio),

    f(w) = 1/(2n)·‖y − Xw‖² + a·‖w‖₁ + (b/2)·‖w‖²

Strategy (why it is fast in pure NumPy, where a Python loop costs microseconds per step):

* Working sets. Cyclic coordinate descent runs only over a small set of coordinates (the
  current support plus the KKT violators, or the strong-rule survivors along a path); the
  gradient of all p coordinates is checked at once with one mat-vec, which is what a full
  coordinate sweep would discover, at NumPy speed.
* Covariance vs residual updates. When n ≥ p (and p ≤ GRAM_MAX_P) the Gram matrix XᵀX/n is
  precomputed once and every update and check costs O(p) instead of O(n); otherwise the full
  check uses the residual Xᵀ(y − Xw)/n, and inside the working set updates use its own Gram
  (n·k² once), or residual updates when the working set is wider than max(4n, 1500).
* Exact polish by feature-sign search (Lee et al. 2007). With the support's signs fixed the
  optimality conditions (G_SS + b·I)·w_S = Xᵀ_S·y/n − a·sign(w_S) are linear: one solve gives
  the solution to rounding error. A line search over sign changes handles wrong signs, and a
  null-space step handles a singular G_SS (the lasso with |S| > rank X_S, typical for p > n).
  Every accepted step lowers the objective, checked from the residuals where G_SS could
  return junk. Coordinate descent supplies the support, the solves the digits.
* p > n with an L2 term (b ≥ a/8): semismooth Newton on the n-dimensional dual instead
  (`_dual_newton`). All violators enter and all stale coordinates leave in one step, each
  step one solve of size min(|A|, n) (Woodbury), so the fit takes a handful of solves
  instead of one per working-set change. It hands over to the strategy above if it stalls.
* Along a path, if the support and signs do not change between two λ the previous solve is
  reused (w_S = u − a·v), and only the KKT conditions are checked.
* Stopping: the duality gap, scaled as scikit-learn scales it (gap ≤ tol·‖y‖²/n in the units
  of f), or an exact polish whose KKT conditions hold for every coordinate.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from solvers._validation import FloatArray

IntArray = NDArray[np.intp]

__all__ = ["ConvergenceWarning", "FitResult", "Problem", "enet_duality_gap", "enet_solve"]

Precompute = Literal["auto", "gram", "residual"]

# A zero coefficient violates KKT when |corr_j| > a·(1 + KKT_RTOL) + KKT_ATOL. One definition
# for every check, so the polish and the outer loop never disagree about "optimal".
KKT_RTOL = 1e-9
KKT_ATOL = 1e-14
# precompute="auto" forms XᵀX/n only up to this many columns (and only when n ≥ p).
GRAM_MAX_P = 512
# The dual Newton method hands over to coordinate descent when a step must be damped below this.
_MIN_STEP = 0.125


def _violates(corr: FloatArray, a: float) -> NDArray[np.bool_]:
    return np.abs(corr) > a * (1.0 + KKT_RTOL) + KKT_ATOL


class ConvergenceWarning(UserWarning):
    """An iterative solver stopped at max_iter before its stopping rule held."""


@dataclass(frozen=True)
class FitResult:
    """What an iterative fit produced, with the evidence that it converged."""

    coef: FloatArray
    intercept: float
    n_iter: int  # coordinate sweeps (working-set sweeps count as sweeps) + homotopy events
    duality_gap: float  # in the units of the objective f
    converged: bool


class Problem:
    """Precomputed quantities for one (X, y), shared by every λ along a path."""

    def __init__(self, X: FloatArray, y: FloatArray, precompute: Precompute = "auto") -> None:
        n, p = X.shape
        self.X = X
        self.y = y
        self.n = n
        self.p = p
        # "auto": the Gram costs n·p² once and pays off when n ≥ p, unless p is so wide that
        # forming it costs more than a whole fit by residual checks (n·p each) does.
        self.use_gram = precompute == "gram" or (
            precompute == "auto" and n >= p and p <= GRAM_MAX_P
        )
        self.Xty = (X.T @ y) / n
        self.yy = float(y @ y)
        # Along a path the support and signs often stay put between neighbouring λ; then
        # w_S = M⁻¹q_S − a·M⁻¹θ with M = G_SS + b·I, so both solves are cached per (S, θ, b).
        self.cache: tuple[bytes, float, FloatArray, FloatArray] | None = None
        # Both formed on first use: a single fit that the homotopy finishes never needs them.
        self._G: FloatArray | None = None
        self._h: FloatArray | None = None

    @property
    def G(self) -> FloatArray | None:
        """XᵀX/n in Gram mode (formed on first use), else None."""
        return self.form_gram()

    def form_gram(self) -> FloatArray | None:
        """Form XᵀX/n now if this problem uses it; returns it (None in residual mode)."""
        if self.use_gram and self._G is None:
            self._G = (self.X.T @ self.X) / self.n
        return self._G

    def gram_if_formed(self) -> FloatArray | None:
        """The Gram if it has been formed already (never forms it)."""
        return self._G

    @property
    def h(self) -> FloatArray:
        """‖x_j‖²/n for every column."""
        if self._h is None:
            G = self.G
            if G is not None:
                self._h = np.ascontiguousarray(np.diag(G))
            else:
                self._h = np.einsum("ij,ij->j", self.X, self.X) / self.n
        return self._h

    def grad_corr(self, w: FloatArray, support: IntArray | None = None) -> FloatArray:
        """Xᵀ(y − Xw)/n for every coordinate (the negative gradient of the smooth loss)."""
        nz = np.flatnonzero(w) if support is None else support
        G = self._G  # the residual route until the Gram is formed (the same numbers)
        if G is not None:
            if nz.size == 0:
                return self.Xty.copy()
            if 4 * nz.size > self.p:  # G[:, nz] would copy most of G: one GEMV is cheaper
                return self.Xty - G @ w
            return self.Xty - G[:, nz] @ w[nz]
        R = self.y - self.X[:, nz] @ w[nz]
        return (self.X.T @ R) / self.n

    def gram_block(self, idx: IntArray) -> FloatArray:
        if self.G is not None:
            return self.G[np.ix_(idx, idx)]
        Xa = self.X[:, idx]
        return (Xa.T @ Xa) / self.n


def _same_support_solution(
    prob: Problem, w0: FloatArray, a: float, b: float
) -> tuple[FloatArray, FloatArray] | None:
    """The exact optimum if it has w0's support and signs (checked), with its corr; else None."""
    S = np.flatnonzero(w0)
    if S.size == 0 or (S.size > max(prob.n, 64) and prob.G is None):
        return None
    theta = np.sign(w0[S])
    key = S.tobytes() + theta.tobytes()
    if prob.cache is not None and prob.cache[0] == key and prob.cache[1] == b:
        _, _, u, v = prob.cache
    else:
        G_ss = prob.gram_block(S)
        M = G_ss.copy()
        M.flat[:: S.size + 1] += b
        try:
            uv = np.linalg.solve(M, np.column_stack([prob.Xty[S], theta]))
        except np.linalg.LinAlgError:
            return None
        u, v = uv[:, 0], uv[:, 1]
        if not (np.isfinite(u).all() and np.isfinite(v).all()):
            return None
        prob.cache = (key, b, u, v)
    w_s = u - a * v
    if not np.all(np.sign(w_s) == theta):
        return None
    w = np.zeros(prob.p)
    w[S] = w_s
    corr = prob.grad_corr(w, S)
    # KKT: on S, corr = a·θ + b·w (holds by construction, checked against junk solves);
    # off S, |corr| ≤ a.
    tol_kkt = 1e-9 * max(a, 1e-300) + 1e-12 * (1.0 + float(np.abs(prob.Xty).max()))
    if np.abs(corr[S] - a * theta - b * w_s).max() > tol_kkt:
        return None
    off = np.abs(corr)
    off[S] = 0.0
    if _violates(off, a).any():
        return None
    return w, corr


def enet_duality_gap(prob: Problem, w: FloatArray, corr: FloatArray, a: float, b: float) -> float:
    """scikit-learn's duality gap for the Elastic Net, divided by n (units of f)."""
    n = prob.n
    nz = np.flatnonzero(w)
    # ‖R‖² = yᵀy − 2 wᵀXᵀy + wᵀXᵀXw, with XᵀR/n = corr  ⇒  ‖R‖² = yᵀy − n·wᵀ(Xᵀy/n + corr)
    w_nz = w[nz]
    R_norm2 = max(prob.yy - n * float(w_nz @ (prob.Xty[nz] + corr[nz])), 0.0)
    Ry = prob.yy - n * float(w_nz @ prob.Xty[nz])
    XtA = corr - b * w  # (XᵀR − l2_reg·w)/n
    dual_norm = float(np.max(np.abs(XtA))) if XtA.size else 0.0
    if dual_norm > a:
        const = a / dual_norm
        gap = 0.5 * (R_norm2 + R_norm2 * const * const)
    else:
        const = 1.0
        gap = R_norm2
    w_norm2 = float(w_nz @ w_nz)
    l1 = float(np.abs(w_nz).sum())
    gap += n * a * l1 - const * Ry + 0.5 * n * b * (1.0 + const * const) * w_norm2
    return gap / n


def _decrease(
    prob: Problem,
    cols: IntArray,
    G_ss: FloatArray,
    q_s: FloatArray,
    cur: FloatArray,
    new: FloatArray,
    a: float,
    b: float,
) -> float:
    """f(new) − f(cur) on one support, computed as a difference (no ‖y‖² − ... cancellation).

    With the full Gram (n ≥ p) or an L2 term, dᵀ(G(cur + d/2) − q) is accurate; for the
    lasso with p > n, where a near-singular G_SS can throw `new` far away, the residuals are
    used instead.
    """
    pen = a * float(np.abs(new).sum() - np.abs(cur).sum()) + 0.5 * b * float(new @ new - cur @ cur)
    if prob.G is not None or b > 0.0:  # G_SS + b·I is regular: no junk to guard against
        d = new - cur
        return float(d @ (G_ss @ (cur + 0.5 * d) - q_s)) + pen
    Xs = prob.X[:, cols]
    r_new = prob.y - Xs @ new
    r_cur = prob.y - Xs @ cur
    return float((r_new - r_cur) @ (r_new + r_cur)) / (2 * prob.n) + pen


def _reduce_support(G_ss: FloatArray, cur: FloatArray) -> FloatArray | None:
    """Move along the null space of G_SS until a coordinate of `cur` reaches 0 (lasso only).

    When G_SS is singular (more active coordinates than the rank of X_S, e.g. |S| > n),
    any d with G_SS·d = 0 leaves the fit unchanged, and choosing d against the signs lowers
    ‖w‖₁ (or keeps it); stepping until the first coordinate hits 0 shrinks the support
    without increasing the objective. Returns the new point, or None if G_SS is regular.
    """
    nz = np.flatnonzero(cur)
    if nz.size < 2:
        return None
    evals, evecs = np.linalg.eigh(G_ss[np.ix_(nz, nz)])
    null = evecs[:, evals <= 1e-10 * max(float(evals[-1]), 1e-300)]
    if null.shape[1] == 0:
        return None
    theta = np.sign(cur[nz])
    d = -(null @ (null.T @ theta))
    if float(np.abs(d).max()) <= 1e-12:
        d = null[:, 0]
    ratios = np.full(nz.size, np.inf)
    opposing = d * cur[nz] < 0.0
    ratios[opposing] = -cur[nz][opposing] / d[opposing]
    j = int(np.argmin(ratios))
    if not np.isfinite(ratios[j]):
        d, ratios = -d, np.full(nz.size, np.inf)
        opposing = d * cur[nz] < 0.0
        ratios[opposing] = -cur[nz][opposing] / d[opposing]
        j = int(np.argmin(ratios))
    out = cur.copy()
    out[nz] = cur[nz] + ratios[j] * d
    out[nz[j]] = 0.0
    return out


def _polish(
    prob: Problem, idx: IntArray, w_a: FloatArray, G_aa: FloatArray | None, a: float, b: float
) -> tuple[FloatArray, bool]:
    """Feature-sign search (Lee et al. 2007) on the working set, from CD's iterate.

    With an active set S and signs θ fixed, the optimum solves the linear system
    (G_SS + b·I)·w_S = q_S − a·θ_S. If its solution keeps the signs, it is optimal on S; if
    every other working-set coordinate then satisfies |corr_j| ≤ a, it is the working-set
    optimum to rounding error: return (w, True). Otherwise, coordinates whose |corr_j| > a
    join S with θ_j = sign(corr_j); when a solution breaks the signs, a discrete line search
    over the breakpoints of the segment towards it picks the lowest objective and drops the
    coordinate that reached 0. The objective never increases; (w, False) hands the best point
    back to coordinate descent.
    """
    if G_aa is None:
        return _polish_woodbury(prob, idx, w_a, a, b)
    w = w_a.copy()
    theta = np.sign(w)
    q = prob.Xty[idx]
    for _ in range(50 + w_a.size):
        S = np.flatnonzero(theta)
        if S.size == 0:  # start from w = 0: the coordinates whose |corr| > a enter
            viol = _violates(q, a)
            if not viol.any():
                return w, True
            theta[viol] = np.sign(q[viol])
            continue
        G_ss = G_aa[np.ix_(S, S)]
        M = G_ss.copy()
        M.flat[:: S.size + 1] += b
        q_s = q[S]
        cur = w[S]
        cols = idx[S]
        try:
            w_s = np.linalg.solve(M, q_s - a * theta[S])
            junk = not np.all(np.isfinite(w_s))
        except np.linalg.LinAlgError:
            w_s, junk = cur, True
        scale = 1e-13 * (1.0 + prob.yy / prob.n)
        if not junk and np.all(np.sign(w_s) == theta[S]):
            # The orthant's minimiser; checked, because a near-singular G_SS can return junk.
            junk = not _decrease(prob, cols, G_ss, q_s, cur, w_s, a, b) <= scale
        if junk:
            reduced = _reduce_support(G_ss, cur) if b == 0.0 else None
            if reduced is None or not _decrease(prob, cols, G_ss, q_s, cur, reduced, a, b) <= scale:
                return w, False
            w[S] = reduced
            theta = np.sign(w)
            continue
        if np.all(np.sign(w_s) == theta[S]):
            new = w_s
        else:
            # Discrete line search on the segment cur → w_s: the objective is evaluated (with
            # the true |·|) at every point where a coordinate crosses 0, and at w_s.
            d = w_s - cur
            cross = np.flatnonzero((cur != 0.0) & (np.sign(w_s) != np.sign(cur)))
            ts = cur[cross] / (cur[cross] - w_s[cross])
            keep = (ts > 0.0) & (ts < 1.0)
            ts, cross = np.append(ts[keep], 1.0), np.append(cross[keep], -1)
            P = cur[None, :] + ts[:, None] * d[None, :]
            hit = cross >= 0
            P[np.flatnonzero(hit), cross[hit]] = 0.0  # exactly 0 at its own breakpoint
            Gc, Gd = G_ss @ cur, G_ss @ d
            quad = (
                0.5 * (cur @ Gc)
                + ts * (d @ Gc)
                + 0.5 * ts * ts * (d @ Gd)
                - P @ q_s
                + 0.5 * b * np.einsum("ij,ij->i", P, P)
                + a * np.abs(P).sum(axis=1)
            )
            best = int(np.argmin(quad))
            # Re-evaluate the winner directly: the expanded form above can cancel badly when
            # a near-singular G_SS throws w_s far away.
            if not _decrease(prob, cols, G_ss, q_s, cur, P[best], a, b) < 0.0:
                reduced = _reduce_support(G_ss, cur) if b == 0.0 else None
                if reduced is None or not (
                    _decrease(prob, cols, G_ss, q_s, cur, reduced, a, b) <= scale
                ):
                    return w, False
                w[S] = reduced
                theta = np.sign(w)
                continue
            new = P[best]
        w[S] = new
        if not np.all(np.sign(w_s) == theta[S]):
            theta = np.sign(w)
            continue  # signs changed: solve again with the new signs
        theta = np.sign(w)
        # Optimal on S; check the rest of the working set and let violators in.
        rest = np.flatnonzero(theta == 0.0)
        if rest.size == 0:
            return w, True
        S = np.flatnonzero(theta)
        corr_rest = q[rest] - G_aa[np.ix_(rest, S)] @ w[S]
        viol = _violates(corr_rest, a)
        if not viol.any():
            return w, True
        theta[rest[viol]] = np.sign(corr_rest[viol])
    return w, False


def _polish_woodbury(
    prob: Problem, idx: IntArray, w_a: FloatArray, a: float, b: float
) -> tuple[FloatArray, bool]:
    """The sign-consistent solve only, for working sets too wide for their own Gram (b > 0)."""
    s_loc = np.flatnonzero(w_a)
    if s_loc.size == 0 or b == 0.0:
        return w_a, False
    sign = np.sign(w_a[s_loc])
    rhs = prob.Xty[idx[s_loc]] - a * sign
    Xs = prob.X[:, idx[s_loc]]
    K = Xs @ Xs.T
    K.flat[:: prob.n + 1] += prob.n * b
    try:
        w_s = (rhs - Xs.T @ np.linalg.solve(K, Xs @ rhs)) / b
    except np.linalg.LinAlgError:
        return w_a, False
    if not np.all(np.sign(w_s) == sign):
        return w_a, False
    out = np.zeros_like(w_a)
    out[s_loc] = w_s
    rest = np.setdiff1d(np.arange(w_a.size), s_loc, assume_unique=True)
    R = prob.y - Xs @ w_s
    corr_rest = (prob.X[:, idx[rest]].T @ R) / prob.n
    if _violates(corr_rest, a).any():
        return w_a, False
    return out, True


def _inner_cd(
    prob: Problem,
    idx: IntArray,
    w_a: FloatArray,
    a: float,
    b: float,
    max_sweeps: int,
    tol_change: float,
) -> tuple[FloatArray, int, bool]:
    """Cyclic CD on the working set `idx`; returns (w_a, sweeps, exactly_polished)."""
    k = idx.size
    h = prob.h[idx]
    denom = h + b
    # The working set's own Gram costs n·k² once and makes each update O(k) instead of O(n);
    # only very wide working sets fall back to residual updates.
    use_residual = prob.G is None and k > max(4 * prob.n, 1500)
    G_aa: FloatArray | None = None
    if use_residual:
        XaT = np.ascontiguousarray(prob.X[:, idx].T)
        R = prob.y - XaT.T @ w_a
        rows = [XaT[j] for j in range(k)]
        inv_n = 1.0 / prob.n
    else:
        G_aa = prob.gram_block(idx)
        c = prob.Xty[idx] - G_aa @ w_a  # corr restricted to the working set
        rows = [G_aa[j] for j in range(k)]
    if G_aa is not None and (w_a.any() or prob.G is None):
        # Warm start (a path, or the previous working set; and always when p > n, where
        # sweeps over wide working sets are the expensive part): the old signs are usually
        # right or nearly so, and feature-sign search finishes without a single sweep.
        polished, exact = _polish(prob, idx, w_a, G_aa, a, b)
        if exact:
            return polished, 1, True
        if not np.array_equal(polished, w_a):
            w_a = polished
            c = prob.Xty[idx] - G_aa @ w_a
    hl = h.tolist()
    dl = denom.tolist()
    wl = w_a.tolist()
    last_pattern: bytes | None = None
    sweeps = 0
    while sweeps < max_sweeps:
        sweeps += 1
        max_change = 0.0
        max_w = 0.0
        for j in range(k):
            dj = dl[j]
            if dj == 0.0:  # an all-zero column with no L2 term: its coefficient is 0
                continue
            wj = wl[j]
            if use_residual:
                z = float(rows[j] @ R) * inv_n + hl[j] * wj
            else:
                z = float(c[j]) + hl[j] * wj
            if z > a:
                new = (z - a) / dj
            elif z < -a:
                new = (z + a) / dj
            else:
                new = 0.0
            if new != wj:
                delta = new - wj
                if use_residual:
                    R -= delta * rows[j]
                else:
                    c -= delta * rows[j]
                wl[j] = new
                if abs(delta) > max_change:
                    max_change = abs(delta)
            if abs(new) > max_w:
                max_w = abs(new)
        w_a = np.asarray(wl)
        pattern = np.sign(w_a).astype(np.int8).tobytes()
        small = max_change <= tol_change * max(max_w, 1e-300)
        if pattern == last_pattern or small:
            polished, exact = _polish(prob, idx, w_a, G_aa, a, b)
            if exact:
                return polished, sweeps, True
            if not np.array_equal(polished, w_a):  # a better point with other signs
                w_a = polished
                wl = w_a.tolist()
                if use_residual:
                    R = prob.y - XaT.T @ w_a
                else:
                    c = prob.Xty[idx] - G_aa @ w_a  # type: ignore[operator]
                pattern = np.sign(w_a).astype(np.int8).tobytes()
                small = False
        if small or max_w == 0.0:
            return w_a, sweeps, False
        last_pattern = pattern
    return np.asarray(wl), sweeps, False


def _kernel_solve(
    mat: FloatArray, XA: FloatArray, rhs: FloatArray, b: float, primal: bool
) -> FloatArray:
    """(X_AᵀX_A/n + b·I)⁻¹·rhs: `mat` is that |A|×|A| matrix (primal) or X_A·X_Aᵀ + n·b·I.

    The n×n form is Woodbury's: (G + b·I)⁻¹ = (I − X_Aᵀ(X_A·X_Aᵀ + n·b·I)⁻¹X_A)/b.
    """
    if primal:
        return np.asarray(np.linalg.solve(mat, rhs), dtype=np.float64)
    return (rhs - XA.T @ np.linalg.solve(mat, XA @ rhs)) / b


def _dual_newton(
    prob: Problem, w0: FloatArray, a: float, b: float, max_steps: int
) -> tuple[FloatArray, FloatArray, int, bool]:
    """Semismooth Newton on the n-dimensional dual of the Elastic Net (b > 0, p > n).

    With r = y − Xw, the optimum is the minimiser of the strongly convex, piecewise
    quadratic function of the residual alone

        φ(r) = ‖r‖²/(2n) − rᵀy/n + ‖S(Xᵀr/n, a)‖²/(2b),   ∇φ(r) = (r − y + X·w(r))/n,

    with w(r) = S(Xᵀr/n, a)/b (S = soft threshold). A Newton step at r, with the active set
    A = {j : |x_jᵀr/n| > a} and signs θ = sign(x_Aᵀr/n), is exactly the sign-fixed solve
    (G_AA + b·I)·w_A = q_A − a·θ and r⁺ = y − X_A·w_A: every violator enters and every
    coordinate whose correlation fell below a leaves at once, and no line search over
    breakpoints is needed (an Armijo backtracking on φ globalises it; full steps are the
    rule). The solve is |A|×|A| when |A| ≤ n and n×n (Woodbury) otherwise. Stops when the
    step's own point satisfies every KKT condition (A and θ reproduce themselves).
    From w = 0 the first solve is over the n most correlated violators only (a starting
    point, not a Newton step). Returns (w, corr, steps, exact); if not exact, w is w0 when a
    step had to be damped below _MIN_STEP, the step's point when only rounding (beyond one
    refinement) fails the check, else w(r) at the last r.
    """
    n, X, y = prob.n, prob.X, prob.y
    nz = np.flatnonzero(w0)
    r = y - X[:, nz] @ w0[nz] if nz.size else y.copy()
    c = (X.T @ r) / n

    def phi(r_: FloatArray, c_: FloatArray) -> float:
        s = np.maximum(np.abs(c_) - a, 0.0)
        return float(r_ @ r_ - 2.0 * (r_ @ y)) / (2 * n) + float(s @ s) / (2 * b)

    f = phi(r, c)
    tol_kkt = 1e-9 * max(a, 1e-300) + 1e-12 * (1.0 + float(np.abs(prob.Xty).max()))
    steps = 0
    cold = nz.size == 0
    while steps < max_steps:
        steps += 1
        A = np.flatnonzero(np.abs(c) > a)
        if cold and A.size > n:
            # From w = 0 nearly every correlated column violates, and the first Newton step
            # would need an n×n system over all of them. Solve over the n largest |x_jᵀy/n|
            # instead: not a Newton step, just a much better starting r (f is reset below).
            A = np.sort(A[np.argpartition(-np.abs(c[A]), n - 1)[:n]])
        theta = np.sign(c[A])
        k = A.size
        XA = X[:, A]
        q = prob.Xty[A] - a * theta
        try:
            primal = k <= n
            if primal:
                mat = XA.T @ XA
                mat /= n
                mat.flat[:: k + 1] += b
            else:
                mat = XA @ XA.T
                mat.flat[:: n + 1] += n * b
            w_a = _kernel_solve(mat, XA, q, b, primal)
            r_new = y - XA @ w_a
            c_new = (X.T @ r_new) / n
            off = np.abs(c_new)
            off[A] = 0.0
            optimal = np.all(np.sign(w_a) == theta) and not _violates(off, a).any()
            # The residual of (G_AA + b·I)·w_A = q_A − a·θ, from X itself.
            resid = c_new[A] - a * theta - b * w_a
            if optimal and k and float(np.abs(resid).max()) > tol_kkt:
                # Ill-conditioned G_AA: one step of iterative refinement, then check again.
                w_a = w_a + _kernel_solve(mat, XA, resid, b, primal)
                r_new = y - XA @ w_a
                c_new = (X.T @ r_new) / n
                off = np.abs(c_new)
                off[A] = 0.0
                optimal = np.all(np.sign(w_a) == theta) and not _violates(off, a).any()
                resid = c_new[A] - a * theta - b * w_a
        except np.linalg.LinAlgError:
            return w0, prob.grad_corr(w0), steps, False
        if not (np.all(np.isfinite(w_a)) and np.all(np.isfinite(c_new))):
            return w0, prob.grad_corr(w0), steps, False
        w = np.zeros(prob.p)
        w[A] = w_a
        if optimal and (k == 0 or float(np.abs(resid).max()) <= tol_kkt):
            return w, c_new, steps, True
        if optimal:  # the right support and signs, but rounding beyond tol_kkt: hand over
            return w, c_new, steps, False
        if cold:
            cold = False
            r, c, f = r_new, c_new, phi(r_new, c_new)
            continue
        # Armijo backtracking on φ along d = r_new − r (full steps are the rule).
        d = r_new - r
        slope = float((r - y + XA @ ((c[A] - a * theta) / b)) @ d) / n
        t = 1.0
        f_new = phi(r_new, c_new)
        while f_new > f + 1e-4 * t * slope + 1e-15 * abs(f):
            t *= 0.5
            if t < _MIN_STEP:
                # Newton zigzags (typical of a small b, near the lasso: φ's curvature jumps
                # by 1/b across every breakpoint). Give the start back to coordinate descent.
                return w0, prob.grad_corr(w0), steps, False
            r_new = r + t * d
            c_new = (X.T @ r_new) / n
            f_new = phi(r_new, c_new)
        r, c, f = r_new, c_new, f_new
    w = np.sign(c) * np.maximum(np.abs(c) - a, 0.0) / b
    return w, prob.grad_corr(w), steps, False


def enet_solve(
    prob: Problem,
    a: float,
    b: float,
    *,
    w0: FloatArray | None = None,
    tol: float = 1e-6,
    max_iter: int = 1000,
    strong_set: IntArray | None = None,
    warn: bool = True,
    need_gap: bool = True,
) -> FitResult:
    """Minimise 1/(2n)‖y − Xw‖² + a‖w‖₁ + (b/2)‖w‖² from w0 (warm start)."""
    p = prob.p
    w = np.zeros(p) if w0 is None else np.array(w0, dtype=np.float64)
    tol_gap = tol * prob.yy / prob.n
    if prob.yy == 0.0:  # y = 0: w = 0 is optimal
        return FitResult(np.zeros(p), 0.0, 0, 0.0, True)
    if w.any():
        fast = _same_support_solution(prob, w, a, b)
        if fast is not None:
            w, corr = fast
            gap = enet_duality_gap(prob, w, corr, a, b) if need_gap else 0.0
            return FitResult(w, 0.0, 1, gap, True)
    n_iter = 0
    if prob.G is None and b >= a / 8.0 and b > 0.0:
        # p > n with a real L2 term (l1_ratio ≤ 8/9): Newton on the n-dimensional dual (see
        # _dual_newton), exact in a handful of steps. Nearer the lasso its steps zigzag, so
        # coordinate descent below keeps those fits, and takes over if Newton ever stalls.
        w, corr, n_iter, exact = _dual_newton(prob, w, a, b, min(max_iter, 30))
        if exact:
            gap = enet_duality_gap(prob, w, corr, a, b) if need_gap else 0.0
            return FitResult(w, 0.0, n_iter, gap, True)
    else:
        corr = prob.grad_corr(w)
    usable = (prob.h + b) > 0.0  # all-zero columns without L2 never move
    exact = False
    # Tolerance on coordinate changes inside the working set; tightened if the gap disagrees.
    tol_change = 1e-4
    in_set = w != 0.0
    if strong_set is not None:
        in_set[strong_set] = True
    while True:
        viol = _violates(corr, a) & (w == 0.0) & usable
        if exact and not viol.any():  # every KKT condition holds at a linear solve's output
            gap = enet_duality_gap(prob, w, corr, a, b) if need_gap else 0.0
            return FitResult(w, 0.0, n_iter, gap, True)
        gap = enet_duality_gap(prob, w, corr, a, b)
        if not viol.any() and gap <= tol_gap:
            return FitResult(w, 0.0, n_iter, gap, True)
        if n_iter >= max_iter:
            break
        if viol.any():
            # Add the worst violators only, at most as many as the set already holds (≥ 16):
            # the working set grows geometrically instead of jumping to all p coordinates.
            cand = np.flatnonzero(viol)
            room = max(16, int(in_set.sum()))
            if cand.size > room:
                cand = cand[np.argpartition(-np.abs(corr[cand]), room - 1)[:room]]
            in_set[cand] = True
        elif not exact:
            tol_change = max(tol_change * 1e-3, 1e-15)
        idx = np.flatnonzero(in_set & usable)
        if idx.size == 0:
            return FitResult(w, 0.0, n_iter, gap, True)
        w_a, sweeps, exact = _inner_cd(prob, idx, w[idx], a, b, max_iter - n_iter, tol_change)
        n_iter += sweeps
        w = np.zeros(p)
        w[idx] = w_a
        corr = prob.grad_corr(w)
    if warn:
        warnings.warn(
            f"coordinate descent stopped at max_iter={max_iter} with duality gap {gap:.3g} "
            f"> tol·‖y‖²/n = {tol_gap:.3g}; increase max_iter or tol",
            ConvergenceWarning,
            stacklevel=3,
        )
    return FitResult(w, 0.0, n_iter, gap, False)
