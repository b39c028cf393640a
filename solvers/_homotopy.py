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

from solvers._coordinate_descent import KKT_ATOL, KKT_RTOL, IntArray, Problem, _violates
from solvers._validation import FloatArray

__all__ = ["enet_homotopy_fit", "lasso_homotopy_path"]


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


def enet_homotopy_fit(
    prob: Problem, a_target: float, b: float, max_events: int
) -> tuple[FloatArray, FloatArray, int, bool]:
    """One Elastic Net fit at (a_target, b) by homotopy in a from lambda_max, b held fixed.

    With b fixed the solution is piecewise linear in a (M = G_SS + b·I in place of G_SS), so
    the path from w = 0 at a = max|q| down to a_target is a sequence of events, each a rank-one
    update of M⁻¹. The rows G_{j,:} = x_jᵀX/n of the active coordinates are stored as they
    enter, so an event costs one O(p·|S|) mat-vec for the direction of c plus, for an entry,
    its row: rows are formed in blocks (x_Cᵀ·X/n for the entering coordinate and the
    _ROW_BLOCK − 1 next-nearest candidates, one matrix product) because the next entries are
    usually among them. At a_target the sign-fixed system is solved once more (refined), and
    every KKT condition is checked against X itself.

    Returns (w, corr, events, exact). Not exact (a degenerate step, more than max_events, a
    failed check): w is the last point reached on the path (optimal for a larger a, or 0) —
    a warm start for coordinate descent.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _fit(prob, a_target, b, max_events)


# Gram rows formed per matrix product when an entering coordinate's row is not cached.
_ROW_BLOCK = 16


def _fit(
    prob: Problem, a_target: float, b: float, max_events: int
) -> tuple[FloatArray, FloatArray, int, bool]:
    p, n = prob.p, prob.n
    q = prob.Xty
    zero = np.zeros(p)
    a = float(np.max(np.abs(q))) if p else 0.0
    if not a > a_target or prob.yy == 0.0:
        return zero, q.copy(), 0, a <= a_target
    G = prob.gram_if_formed()
    X = prob.X
    cap = min(p, 64)
    rows = np.empty((cap, p))  # rows[i] = G_{S_i, :}
    S = np.empty(cap, dtype=np.intp)
    theta = np.empty(cap)
    Minv = np.empty((cap, cap))  # (G_SS + b·I)⁻¹
    in_S = np.zeros(p, dtype=bool)
    cached: dict[int, FloatArray] = {}
    # u = M⁻¹·q_S and v = M⁻¹·θ: w_S(a) = u − a·v, updated in O(k) as S grows.
    u = np.zeros(0)
    v = np.zeros(0)
    k = 0
    j = int(np.argmax(np.abs(q)))
    sign = 1.0 if q[j] > 0 else -1.0
    c = q.copy()  # q − G_{:,S}·w_S, recomputed every 16 events, else updated along segments
    # Work buffers for the entry candidates (1/t for each coordinate, see below).
    r_up, r_dn, n_up, n_dn = np.empty(p), np.empty(p), np.empty(p), np.empty(p)
    tiny = 1e-290
    events = 0
    while True:
        # Enter j with `sign` at the current a (an update of M⁻¹ by its Schur complement).
        if k == cap:
            cap = min(2 * cap, p)
            rows = np.resize(rows, (cap, p))
            S = np.resize(S, cap)
            theta = np.resize(theta, cap)
            grown = np.empty((cap, cap))
            grown[:k, :k] = Minv[:k, :k]
            Minv = grown
        if G is not None:
            row = G[j]
        elif j in cached:
            row = cached.pop(j)
        else:
            # The next entries are usually among the nearest candidates: form their rows too,
            # in one matrix product (several times cheaper per row than one mat-vec each).
            m_ = min(_ROW_BLOCK, p - k)
            if m_ > 1 and k:
                r_up[in_S] = -np.inf
                r_up[j] = np.inf
                C = np.argpartition(-r_up, m_ - 1)[:m_]
            else:
                C = np.array([j])
            block = (X[:, C].T @ X) / n
            cached = {int(cj): block[i] for i, cj in enumerate(C)}
            row = cached.pop(j)
        m = row[S[:k]]
        d = float(row[j]) + b
        Mm = Minv[:k, :k] @ m
        s = d - float(m @ Mm)
        if not s > 1e-10 * max(d, 1e-300):  # x_j (almost) in the span of X_S: degenerate
            return _point(prob, S[:k], u - a * v, events)
        Mm_s = Mm / s
        Minv[:k, :k] += Mm[:, None] * Mm_s
        Minv[:k, k] = Minv[k, :k] = -Mm_s
        Minv[k, k] = 1.0 / s
        qj = float(q[j])
        du_, dv_ = (float(m @ u) - qj) / s, (float(m @ v) - sign) / s
        u = np.append(u + Mm * du_, -du_)
        v = np.append(v + Mm * dv_, -dv_)
        rows[k] = row
        S[k], theta[k] = j, sign
        in_S[j] = True
        k += 1
        while True:  # the segment from a to the next event
            if events % 16 == 0:  # refresh u, v and c from M⁻¹ and the rows: no drift
                uv = Minv[:k, :k] @ np.stack([q[S[:k]], theta[:k]], axis=1)
                u, v = uv[:, 0], uv[:, 1]
                c = q - (u - a * v) @ rows[:k]
            w_s = u - a * v  # w_S(a − t) = w_s + t·v
            g = v @ rows[:k]  # c(a − t) = c − t·g off S
            # Leaving: w_s + t·v = 0 at t = −w_s/v (ignore t ≤ 1e-12·a: rounding).
            t_leave = -w_s / v
            t_leave[~(t_leave > 1e-12 * a)] = np.inf
            i = int(t_leave.argmin())
            tl = float(t_leave[i])
            # Entering: c_j − t·g_j = ±(a − t) at t = (a ∓ c_j)/(1 ∓ g_j), when |c_j| moves
            # towards a − t (1 ∓ g_j > 0). Numerators clipped at a tiny positive number (a
            # coordinate on the boundary, e.g. one that just left, enters at t = 0 if it
            # moves outwards): then 1/t = (1 ∓ g_j)/(a ∓ c_j) is positive exactly for the
            # valid roots, and the nearest entry is the largest 1/t.
            np.subtract(a, c, out=n_up)
            np.add(a, c, out=n_dn)
            np.maximum(n_up, tiny, out=n_up)
            np.maximum(n_dn, tiny, out=n_dn)
            np.subtract(1.0, g, out=r_up)
            np.add(1.0, g, out=r_dn)
            np.divide(r_up, n_up, out=r_up)
            np.divide(r_dn, n_dn, out=r_dn)
            np.maximum(r_up, r_dn, out=r_up)
            r_up[in_S] = -np.inf
            j = int(r_up.argmax())
            rj = float(r_up[j])
            te = 1.0 / rj if rj > 0.0 else np.inf
            t = min(tl, te)
            if not a - t > a_target:
                w_t = w_s + (a - a_target) * v
                return _finish(prob, S[:k], theta[:k], rows[:k], w_t, a_target, b, events)
            events += 1
            if events > max_events:
                return _point(prob, S[:k], w_s, events)
            c -= t * g
            a -= t
            if tl <= te:  # S[i] reaches 0 and leaves: swap it last, then downdate M⁻¹
                last = k - 1
                if i != last:
                    S[i], S[last] = S[last], S[i]
                    theta[i], theta[last] = theta[last], theta[i]
                    rows[[i, last]] = rows[[last, i]]
                    Minv[[i, last], :k] = Minv[[last, i], :k]
                    Minv[:k, [i, last]] = Minv[:k, [last, i]]
                col = Minv[:last, last].copy()
                Minv[:last, :last] -= col[:, None] * (col / Minv[last, last])
                in_S[S[last]] = False
                k = last
                if k == 0:  # back at w = 0 (only possible by rounding): hand over
                    return zero, q.copy(), events, False
                uv = Minv[:k, :k] @ np.stack([q[S[:k]], theta[:k]], axis=1)
                u, v = uv[:, 0], uv[:, 1]
                continue
            sign = 1.0 if c[j] > 0 else -1.0
            break


def _point(
    prob: Problem, S: IntArray, w_s: FloatArray, events: int
) -> tuple[FloatArray, FloatArray, int, bool]:
    """The last point reached (a warm start for coordinate descent), not exact."""
    w = np.zeros(prob.p)
    w[S] = w_s
    return w, prob.grad_corr(w), events, False


def _finish(
    prob: Problem,
    S: IntArray,
    theta: FloatArray,
    rows: FloatArray,
    w_s: FloatArray,
    a: float,
    b: float,
    events: int,
) -> tuple[FloatArray, FloatArray, int, bool]:
    """Re-solve the sign-fixed system at a once (refined) and check every KKT condition."""
    M = rows[:, S].copy()
    M.flat[:: S.size + 1] += b
    rhs = prob.Xty[S] - a * theta
    try:
        w_s = np.linalg.solve(M, rhs)
        w_s = w_s + np.linalg.solve(M, rhs - M @ w_s)
    except np.linalg.LinAlgError:
        pass
    if not np.all(np.isfinite(w_s)):
        return np.zeros(prob.p), prob.Xty.copy(), events, False
    w = np.zeros(prob.p)
    w[S] = w_s
    corr = prob.grad_corr(w, S)  # from X (or the Gram), not from the stored rows
    tol_kkt = 1e-9 * max(a, 1e-300) + 1e-12 * (1.0 + float(np.abs(prob.Xty).max()))
    off = np.abs(corr)
    off[S] = 0.0
    exact = (
        bool(np.all(np.sign(w_s) == theta))
        and float(np.abs(corr[S] - a * theta - b * w_s).max()) <= tol_kkt
        and not _violates(off, a).any()
    )
    return w, corr, events, exact
