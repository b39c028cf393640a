"""The exact lasso path by homotopy (LARS with the lasso modification, Efron et al. 2004).

For the objective 1/(2n)·‖y − Xw‖² + a·‖w‖₁ the solution is piecewise linear in a. With an
active set S, signs θ and G = XᵀX/n, q = Xᵀy/n:

    w_S(a) = G_SS⁻¹·(q_S − a·θ)        c(a) = q − G_{:,S}·w_S(a)   (|c_j| ≤ a off S)

so between events w_S moves along v = G_SS⁻¹θ and c along g = G_{:,S}·v. An event is a
coefficient reaching 0 (it leaves S) or a correlation reaching ±a (it joins S); at each one
G_SS⁻¹ gets a rank-one update, O(k²) instead of a new O(k³) solve. Every grid value is then
a point on the current segment, re-solved from the maintained inverse and KKT-checked. Any
numerical trouble (a near-singular Schur complement, a failed check) hands the rest of the
grid back to coordinate descent, so the path is never less exact than the CD one.
"""

from __future__ import annotations

import numpy as np

from solvers._coordinate_descent import KKT_ATOL, KKT_RTOL, IntArray, Problem
from solvers._validation import FloatArray

__all__ = ["lasso_homotopy_path"]


class _Active:
    """S (in entry order), θ and G_SS⁻¹ in preallocated buffers, with rank-one updates."""

    def __init__(self, prob: Problem) -> None:
        self.prob = prob
        cap = min(prob.n, prob.p) + 1
        self.k = 0
        self._S = np.zeros(cap, dtype=np.intp)
        self._theta = np.zeros(cap)
        self._Minv = np.zeros((cap, cap))
        self.in_S = np.zeros(prob.p, dtype=bool)

    @property
    def S(self) -> IntArray:
        return self._S[: self.k]

    @property
    def theta(self) -> FloatArray:
        return self._theta[: self.k]

    @property
    def Minv(self) -> FloatArray:
        return self._Minv[: self.k, : self.k]

    def gram_col(self, j: int) -> FloatArray:
        """G_{:, j} (Gram mode) or Xᵀx_j/n (residual mode)."""
        prob = self.prob
        if prob.G is not None:
            return prob.G[:, j]
        return (prob.X.T @ prob.X[:, j]) / prob.n

    def add(self, j: int, sign: float) -> bool:
        k = self.k
        if k + 1 >= self._S.size:  # more than min(n, p) active: degenerate, give up
            return False
        col = self.gram_col(j)
        m = col[self.S]
        d = float(col[j])
        Mm = self.Minv @ m
        s = d - float(m @ Mm)
        if not s > 1e-10 * max(d, 1e-300):  # x_j (almost) in the span of X_S
            return False
        B = self._Minv
        B[:k, :k] += np.outer(Mm, Mm / s)
        B[:k, k] = B[k, :k] = -Mm / s
        B[k, k] = 1.0 / s
        self._S[k] = j
        self._theta[k] = sign
        self.in_S[j] = True
        self.k = k + 1
        return True

    def remove(self, pos: int) -> None:
        k = self.k
        keep = np.r_[0:pos, pos + 1 : k]
        b = self._Minv[keep, pos]
        c = self._Minv[pos, pos]
        self._Minv[: k - 1, : k - 1] = self._Minv[np.ix_(keep, keep)] - np.outer(b, b / c)
        self.in_S[self._S[pos]] = False
        self._S[: k - 1] = self._S[keep]
        self._theta[: k - 1] = self._theta[keep]
        self.k = k - 1


def lasso_homotopy_path(prob: Problem, grid: FloatArray) -> tuple[FloatArray, int]:
    """Coefficients at each a in `grid` (decreasing); returns (coefs, n_done).

    Rows past n_done are left for the caller (coordinate descent from row n_done − 1).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return _path(prob, grid)


def _path(prob: Problem, grid: FloatArray) -> tuple[FloatArray, int]:
    p = prob.p
    n_rows = grid.size
    coefs = np.zeros((n_rows, p))
    if n_rows == 0 or prob.yy == 0.0 or p == 0:
        return coefs, n_rows
    q = prob.Xty
    G = prob.G
    act = _Active(prob)
    a = float(np.max(np.abs(q)))
    row = int(np.searchsorted(-grid, -a, side="right"))  # rows with lam ≥ lambda_max: w = 0
    if row == n_rows:
        return coefs, n_rows
    j0 = int(np.argmax(np.abs(q)))
    if not act.add(j0, 1.0 if q[j0] > 0 else -1.0):
        return coefs, row
    c = q.copy()
    w_s = np.zeros(1)
    v_full = np.zeros(p)
    last = float(grid[-1])
    neg_inf = -np.inf
    events = 0
    while True:
        S = act.S
        theta = act.theta
        v = act.Minv @ theta
        if G is not None:
            v_full[:] = 0.0
            v_full[S] = v
            g = G @ v_full  # a GEMV; G[:, S] would copy p·k entries per event
        else:
            g = (prob.X.T @ (prob.X[:, S] @ v)) / prob.n
        # The next event as a decreases: the largest candidate a' in (0, a).
        lim = a - 1e-12 * a
        leave = a + w_s / v
        leave[(leave >= lim) | (leave <= 0.0) | (v == 0.0)] = neg_inf
        i = int(np.argmax(leave))
        base = c - a * g
        up = base / (1.0 - g)  # c_j(a') = +a'
        down = base / (-1.0 - g)  # c_j(a') = −a'
        up[(up >= lim) | (up <= 0.0) | act.in_S] = neg_inf
        down[(down >= lim) | (down <= 0.0) | act.in_S] = neg_inf
        np.maximum(up, down, out=up)
        j = int(np.argmax(up))
        a_next = max(float(leave[i]), float(up[j]), 0.0)
        # Every grid value in [a_next, a] lies on this segment: fill and KKT-check them at once.
        stop = int(np.searchsorted(-grid, -a_next, side="right"))
        if stop > row:
            t = grid[row:stop]
            steps = a - t
            W = w_s[None, :] + steps[:, None] * v[None, :]
            C = c[None, :] - steps[:, None] * g[None, :]
            C[:, S] = 0.0
            scale = KKT_RTOL * t + KKT_ATOL
            # (a coefficient due to leave exactly at a grid value may round to −1e-17)
            sign_ok = np.all(W * theta >= -1e-12 * (1.0 + np.abs(W).max(initial=0.0)))
            if not sign_ok or np.any(np.abs(C) > (t + scale)[:, None]):
                return coefs, row
            coefs[row:stop, S] = W
            row = stop
        if row == n_rows or a_next <= last:
            return coefs, row
        # Apply the event, then re-solve w_S and c exactly so that nothing drifts.
        if float(leave[i]) >= float(up[j]):
            act.remove(i)
        elif not act.add(j, 1.0 if base[j] + a_next * g[j] > 0 else -1.0):
            return coefs, row
        c = c - (a - a_next) * g
        a = a_next
        if act.k == 0:
            return coefs, row
        S = act.S
        w_s = act.Minv @ (q[S] - a * act.theta)  # exact on the new S: no drift in w
        events += 1
        if events % 16 == 0:  # and c is refreshed from scratch now and then
            w = np.zeros(p)
            w[S] = w_s
            c = prob.grad_corr(w, S)
