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

`enet_homotopy_fit` is the same idea for one fit (lasso or Elastic Net with b = lam·(1 − r)
held fixed, where the path in a is again piecewise linear): why a single fit from w = 0
costs about one event per support change, with every vector operation in NumPy, instead of
the many coordinate sweeps and sign-fixed re-solves a working-set CD needs at small lam.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from solvers._coordinate_descent import KKT_ATOL, KKT_RTOL, IntArray, Problem, _violates
from solvers._validation import FloatArray

__all__ = ["enet_homotopy_fit", "lasso_homotopy_path"]


def lasso_homotopy_path(prob: Problem, grid: FloatArray) -> tuple[FloatArray, int]:
    """Coefficients at each a in `grid` (decreasing); returns (coefs, n_done).

    Rows past n_done are left for the caller (coordinate descent from row n_done − 1).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return _path(prob, grid)


def _path(prob: Problem, grid: FloatArray) -> tuple[FloatArray, int]:
    p, n = prob.p, prob.n
    n_rows = grid.size
    coefs = np.zeros((n_rows, p))
    if n_rows == 0 or prob.yy == 0.0 or p == 0:
        return coefs, n_rows
    q, X = prob.Xty, prob.X
    G = prob.G
    a = float(np.max(np.abs(q)))
    row = int(np.searchsorted(-grid, -a, side="right"))  # rows with lam ≥ lambda_max: w = 0
    if row == n_rows:
        return coefs, n_rows
    cap = min(n, p) + 1  # more than min(n, p) active: degenerate, give up
    S = np.empty(cap, dtype=np.intp)
    theta = np.empty(cap)
    XS = np.empty((cap, n)) if G is None else np.empty((0, n))  # x_j of S (residual mode)
    inv = _Inverse(cap)
    ub, vb = np.empty(cap), np.empty(cap)  # u = G_SS⁻¹q_S, v = G_SS⁻¹θ in ub[:k], vb[:k]
    k = 0
    u, v = ub[:0], vb[:0]
    # c and g stacked with their negatives (C2[:p] = c, C2[p:] = −c): both crossings c_j =
    # ±a' are one ratio test (see _fit); inS2 marks S on both halves.
    C2 = np.concatenate([q, -q])
    G2, R2, T2 = np.empty(2 * p), np.empty(2 * p), np.empty(2 * p)
    inS2 = np.zeros(2 * p, dtype=bool)
    v_full = np.zeros(p)
    inv_n = 1.0 / n
    last = float(grid[-1])
    events = 0
    j = int(np.argmax(np.abs(q)))
    sign = 1.0 if q[j] > 0 else -1.0
    while True:
        if j >= 0:  # j enters with `sign` (bordering G_SS⁻¹ by its Schur complement)
            if k + 1 >= cap:
                return coefs, row
            col = G[j] if G is not None else (X.T @ X[:, j]) * inv_n  # G is symmetric
            m_ = col[S[:k]]
            d = float(col[j])
            Mm = inv.apply(m_, k)
            s = d - float(m_ @ Mm)
            if not s > 1e-10 * max(d, 1e-300):  # x_j (almost) in the span of X_S
                return coefs, row
            inv.border(k, Mm, s)
            du_ = (float(m_ @ u) - float(q[j])) / s
            dv_ = (float(m_ @ v) - sign) / s
            ub[:k] += Mm * du_
            vb[:k] += Mm * dv_
            ub[k], vb[k] = -du_, -dv_
            if G is None:
                XS[k] = X[:, j]
            S[k], theta[k] = j, sign
            inS2[j] = inS2[p + j] = True
            k += 1
            u, v = ub[:k], vb[:k]
            j = -1
        if events % 16 == 0 and events:  # c refreshed from scratch now and then: no drift
            w = np.zeros(p)
            w[S[:k]] = u - a * v
            C2[:p] = prob.grad_corr(w, S[:k])
            np.negative(C2[:p], out=C2[p:])
        if G is not None:
            v_full[S[:k]] = v
            np.matmul(G, v_full, out=G2[:p])  # a GEMV; G[:, S] would copy p·k entries
            v_full[S[:k]] = 0.0
        else:
            np.multiply(X.T @ (v @ XS[:k]), inv_n, out=G2[:p])
        np.negative(G2[:p], out=G2[p:])
        # The next event as a decreases: the largest candidate a' in (0, a). A coefficient
        # reaches 0 at a' = u_i/v_i; a correlation reaches ±a' at a' = a − t with rate 1/t
        # = (1 ∓ g_j)/(a ∓ c_j).
        lv = u / v
        lv[~(lv < a - 1e-12 * a)] = -np.inf
        i = int(lv.argmax())
        np.subtract(a, C2, out=R2)
        np.maximum(R2, 1e-290, out=R2)
        np.subtract(1.0, G2, out=T2)
        np.divide(T2, R2, out=R2)
        R2[inS2] = -np.inf
        jj = int(R2.argmax())
        rj = float(R2[jj])
        a_enter = a - 1.0 / rj if rj > 0.0 else -np.inf
        a_next = max(float(lv[i]), a_enter, 0.0)
        # Every grid value in [a_next, a] lies on this segment: fill and KKT-check them at once.
        stop = int(np.searchsorted(-grid, -a_next, side="right"))
        if stop > row:
            Sk, th = S[:k], theta[:k]
            t = grid[row:stop]
            steps = a - t
            W = (u - a * v)[None, :] + steps[:, None] * v[None, :]
            C = C2[None, :p] - steps[:, None] * G2[None, :p]
            C[:, Sk] = 0.0
            scale = KKT_RTOL * t + KKT_ATOL
            # (a coefficient due to leave exactly at a grid value may round to −1e-17)
            sign_ok = np.all(W * th >= -1e-12 * (1.0 + np.abs(W).max(initial=0.0)))
            if not sign_ok or np.any(np.abs(C) > (t + scale)[:, None]):
                return coefs, row
            W[W * th < 0.0] = 0.0  # (those roundings: at their grid value they are 0)
            coefs[row:stop, Sk] = W
            row = stop
        if row == n_rows or a_next <= last:
            return coefs, row
        np.multiply(G2, a - a_next, out=T2)
        C2 -= T2
        a = a_next
        events += 1
        if float(lv[i]) >= a_enter:  # S[i] reaches 0 and leaves: swap it last, downdate
            last_k = k - 1
            if i != last_k:
                S[i], S[last_k] = S[last_k], S[i]
                theta[i], theta[last_k] = theta[last_k], theta[i]
                if G is None:
                    XS[[i, last_k]] = XS[[last_k, i]]
                inv.swap(i, last_k, k)
            inv.drop_last(k)
            gone = int(S[last_k])
            inS2[gone] = inS2[p + gone] = False
            k = last_k
            if k == 0:
                return coefs, row
            ub[:k] = inv.apply(q[S[:k]], k)
            vb[:k] = inv.apply(theta[:k], k)
            u, v = ub[:k], vb[:k]
            continue
        j = jj if jj < p else jj - p
        sign = 1.0 if jj < p else -1.0


def enet_homotopy_fit(
    prob: Problem, a_target: float, b: float, max_events: int
) -> tuple[FloatArray, FloatArray, int, bool]:
    """One Elastic Net fit at (a_target, b) by homotopy in a from lambda_max, b held fixed.

    With b fixed the solution is piecewise linear in a (M = G_SS + b·I in place of G_SS), so
    the path from w = 0 at a = max|q| down to a_target is a sequence of events, each a rank-one
    change of M⁻¹ (queued, see _Inverse) and O(|S|) updates of M⁻¹q_S and M⁻¹θ (on a
    working set: of w_S and M⁻¹θ).

    p ≤ _WIDE·n (`_fit`): the path runs over every column, with the Gram rows of S stored.
    p > _WIDE·n (`_fit_wide`): it runs on a working set W (at first the coordinates with
    |q_j| ≥ 0.8·max|q|), with c and g on W from X_W and X_S (no Gram rows), so vector work
    costs |W| instead of p. Every _CHECK_EVERY events, or when a has fallen by 1 − _SHRINK
    since the last checkpoint (at least _MIN_SINCE events ago), the current point is
    screened against all p columns (one
    float32 product with X): if no coordinate outside W violates |c_j| ≤ a, the point is on
    the full path and becomes the checkpoint, and the coordinates within a margin of the
    boundary (_MARGIN× the last stretch of a) join W. If
    one does violate, the run goes back to the checkpoint with the violators (and the
    near-boundary coordinates there) in W and the margin doubled. At a_target the same check
    in float64, then the sign-fixed system re-solved (refinement with M⁻¹) and every KKT
    condition checked against X itself (_finish).

    Returns (w, corr, events, exact); events counts replayed ones too. Not exact (a
    degenerate step, more than max_events, a failed check): w is the last point known to
    be on the full path (optimal for a larger a, or 0; the last checkpoint on a working
    set) — a warm start for coordinate descent.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        p = prob.p
        wide = p > _WIDE * prob.n and prob.yy != 0.0
        if wide and float(np.abs(prob.Xty).max()) > a_target:
            return _fit_wide(prob, a_target, b, max_events)
        return _fit(prob, a_target, b, max_events)


# Checkpoints: every _CHECK_EVERY events the current point is verified against all p columns.
_CHECK_EVERY = 32
# Gram rows formed per matrix product when W is every column (each row is a pass over X).
_ROW_BLOCK = 16
_SHRINK = 0.9
_MARGIN = 2.0
_WIDE = 2
# Rank-one terms queued in _Inverse before B absorbs them.
_QUEUE = 32
# The float32 screening recomputes in float64 every column within _F32_SLACK × its rounding
# bound of the threshold (1: the bound itself; tests raise it to recompute more).
_F32_SLACK = 1.0
# A checkpoint by the fall of a waits for this many events (the first steps are long ones).
_MIN_SINCE = 4


class _Inverse:
    """M⁻¹ of the active set as B + Σ d_i·z_i·z_iᵀ: rank-one changes queue up (at most _QUEUE).

    Bordering M by an entering coordinate is exactly a rank-one term on the zero-padded
    inverse (z = [M⁻¹m; −1], d = 1/s), and a coordinate leaving is one too (the Schur
    downdate), so each event costs O(k·r) (r queued terms) instead of a pass over all k²
    entries of M⁻¹; B absorbs the queue in one matrix product every _QUEUE terms.
    Invariant: B beyond row/column k and every unused entry of the queue are 0.
    """

    def __init__(self, cap: int) -> None:
        self.B = np.zeros((cap, cap))
        self.ZT = np.zeros((_QUEUE, cap))  # z_i, one per row
        self.ZDT = np.zeros((_QUEUE, cap))  # d_i·z_i
        self.r = 0

    def resize(self, cap: int, k: int) -> None:
        B = np.zeros((cap, cap))
        B[:k, :k] = self.B[:k, :k]
        ZT, ZDT = np.zeros((_QUEUE, cap)), np.zeros((_QUEUE, cap))
        ZT[:, :k], ZDT[:, :k] = self.ZT[:, :k], self.ZDT[:, :k]
        self.B, self.ZT, self.ZDT = B, ZT, ZDT

    def apply(self, x: FloatArray, k: int) -> FloatArray:
        """M⁻¹·x for x of shape (k,) or (k, m)."""
        out: FloatArray = self.B[:k, :k] @ x
        r = self.r
        if r:
            out += self.ZDT[:r, :k].T @ (self.ZT[:r, :k] @ x)
        return out

    def border(self, k: int, Mm: FloatArray, s: float) -> None:
        """k → k + 1: Mm = M⁻¹m for the new coordinate's column m of M, Schur complement s."""
        r = self.r
        z = self.ZT[r]
        z[:k] = Mm
        z[k] = -1.0
        np.multiply(z[: k + 1], 1.0 / s, out=self.ZDT[r, : k + 1])
        self.r = r + 1
        if self.r == _QUEUE:
            self.flush(k + 1)

    def swap(self, i: int, j: int, k: int) -> None:
        B = self.B
        tmp = B[i, :k].copy()
        B[i, :k] = B[j, :k]
        B[j, :k] = tmp
        tmp = B[:k, i].copy()
        B[:k, i] = B[:k, j]
        B[:k, j] = tmp
        r = self.r
        if r:
            for Z in (self.ZT, self.ZDT):
                tmp = Z[:r, i].copy()
                Z[:r, i] = Z[:r, j]
                Z[:r, j] = tmp

    def drop_last(self, k: int) -> None:
        """k → k − 1: the last coordinate leaves (Schur downdate, queued)."""
        last, r = k - 1, self.r
        col = self.B[:k, last].copy()
        if r:
            col += self.ZDT[:r, :k].T @ self.ZT[:r, last]
            self.ZT[:r, last] = 0.0
            self.ZDT[:r, last] = 0.0
        self.B[last, :k] = 0.0
        self.B[:k, last] = 0.0
        self.ZT[r, :last] = col[:last]
        np.multiply(col[:last], -1.0 / float(col[last]), out=self.ZDT[r, :last])
        self.r = r + 1
        if self.r == _QUEUE:
            self.flush(last)

    def flush(self, k: int) -> None:
        r = self.r
        if r:
            self.B[:k, :k] += self.ZDT[:r, :k].T @ self.ZT[:r, :k]
            self.ZT[:r, :k] = 0.0
            self.ZDT[:r, :k] = 0.0
            self.r = 0

    def dense(self, k: int) -> FloatArray:
        self.flush(k)
        return self.B[:k, :k]

    def load(self, M: FloatArray, k: int) -> None:
        self.B.fill(0.0)
        self.ZT.fill(0.0)
        self.ZDT.fill(0.0)
        self.B[:k, :k] = M
        self.r = 0


class _Checkpoint(NamedTuple):
    """A point verified to be on the full path: a, |S|, S (local), θ, w_S, M⁻¹θ."""

    a: float
    k: int
    S: IntArray
    theta: FloatArray
    w: FloatArray
    v: FloatArray


def _fit(
    prob: Problem, a_target: float, b: float, max_events: int
) -> tuple[FloatArray, FloatArray, int, bool]:
    """The homotopy over every column (p ≤ _WIDE·n), with the Gram rows of S stored.

    A row G_{j,:} is read from the Gram if it is formed, else computed from X together with
    the _ROW_BLOCK − 1 candidates nearest to entering (one matrix product over X).
    """
    p, n = prob.p, prob.n
    q, X = prob.Xty, prob.X
    zero = np.zeros(p)
    a = float(np.max(np.abs(q))) if p else 0.0
    if not a > a_target or prob.yy == 0.0:
        return zero, q.copy(), 0, a <= a_target
    aq = np.abs(q)
    G_full = prob.gram_if_formed()
    inv_n = 1.0 / n
    kcap = 64
    rows = np.empty((kcap, p))  # rows[i, l] = G_{S_i, l}
    S = np.empty(kcap, dtype=np.intp)
    theta = np.empty(kcap)
    inv = _Inverse(kcap)
    k = 0
    ub = np.empty(kcap)  # u = M⁻¹q_S and v = M⁻¹θ live in ub[:k], vb[:k]
    vb = np.empty(kcap)
    u = ub[:0]
    v = vb[:0]
    # c stacked with its negative, C2[:p] = c and C2[p:] = −c, and g (the rate of c as a
    # falls) the same way: both crossings c_j = ±a are one ratio test. inS2 marks S on both.
    C2 = np.concatenate([q, -q])
    G2 = np.empty(2 * p)
    R2 = np.empty(2 * p)  # the entry rates of the last ratio test
    T2 = np.empty(2 * p)  # scratch
    inS2 = np.zeros(2 * p, dtype=bool)
    events = 0
    cached: dict[int, FloatArray] = {}  # rows formed ahead
    have_rates = False
    # Start: the largest |q_j| enters at a = max|q|.
    j = int(np.argmax(aq))
    sign = 1.0 if q[j] > 0 else -1.0
    while True:
        if j >= 0:
            # Enter j with `sign` at the current a (bordering M⁻¹ by its Schur complement).
            if k == kcap:
                kcap = 2 * kcap
                rows = np.resize(rows, (kcap, p))
                S = np.resize(S, kcap)
                theta = np.resize(theta, kcap)
                inv.resize(kcap, k)
                ub, vb = np.resize(ub, kcap), np.resize(vb, kcap)
            row = rows[k]
            if G_full is not None:
                row[:] = G_full[j]
            elif j in cached:
                row[:] = cached.pop(j)
            elif p > 1 and have_rates:
                # Every row is a pass over X: form the entering one with the _ROW_BLOCK − 1
                # nearest candidates in one product (the next entries are usually among them).
                near_t = -np.maximum(R2[:p], R2[p:])
                near_t[inS2[:p]] = np.inf
                near_t[j] = -np.inf
                C = np.argpartition(near_t, min(_ROW_BLOCK, p) - 1)[: min(_ROW_BLOCK, p)]
                block = (X[:, C].T @ X) * inv_n
                cached = {int(cj): block[i_] for i_, cj in enumerate(C)}
                row[:] = cached.pop(j)
            else:
                np.multiply(X[:, j] @ X, inv_n, out=row)
            m_ = row[S[:k]]
            d = float(row[j]) + b
            Mm = inv.apply(m_, k)
            s = d - float(m_ @ Mm)
            if not s > 1e-10 * max(d, 1e-300):  # degenerate: hand over the current point
                return _handover(prob, S[:k], u - a * v, events)
            inv.border(k, Mm, s)
            du_ = (float(m_ @ u) - float(q[j])) / s
            dv_ = (float(m_ @ v) - sign) / s
            ub[:k] += Mm * du_
            vb[:k] += Mm * dv_
            ub[k], vb[k] = -du_, -dv_
            S[k], theta[k] = j, sign
            inS2[j] = inS2[p + j] = True
            k += 1
            u, v = ub[:k], vb[:k]
            j = -1
        if events % 16 == 0 and events:  # refresh c from the stored rows: no drift
            np.subtract(q, (u - a * v) @ rows[:k], out=C2[:p])
            np.negative(C2[:p], out=C2[p:])
        np.matmul(v, rows[:k], out=G2[:p])
        np.negative(G2[:p], out=G2[p:])
        # The next coordinate to leave: w_i(a') = u_i − a'·v_i is 0 at a' = u_i/v_i (the
        # largest such a' below a).
        lv = u / v
        lv[~(lv < a - 1e-12 * a)] = -np.inf
        i = int(lv.argmax())
        tl = a - float(lv[i])
        # The next to enter: c_j − t·g_j = ±(a − t) at t = (a ∓ c_j)/(1 ∓ g_j), i.e. the
        # largest rate (1 − G)/(a − C) over both halves (C2 ≤ a off S).
        np.subtract(a, C2, out=R2)
        np.maximum(R2, 1e-290, out=R2)
        np.subtract(1.0, G2, out=T2)
        np.divide(T2, R2, out=R2)
        R2[inS2] = -np.inf
        have_rates = True
        jj = int(R2.argmax())
        rj = float(R2[jj])
        te = 1.0 / rj if rj > 0.0 else np.inf
        t = min(tl, te)
        if not a - t > a_target:  # _finish checks every condition at a_target
            w_chk = u - a_target * v
            Mi = inv.dense(k)
            return _finish(
                prob,
                S[:k].copy(),
                theta[:k].copy(),
                Mi,
                w_chk,
                a_target,
                b,
                events,
                G_ss=rows[:k][:, S[:k]],
            )
        events += 1
        if events > max_events:
            return _handover(prob, S[:k], u - a * v, events)
        np.multiply(G2, t, out=T2)
        C2 -= T2
        a -= t
        if tl <= te:  # S[i] reaches 0 and leaves: swap it last, then downdate M⁻¹
            last = k - 1
            if i != last:
                S[i], S[last] = S[last], S[i]
                theta[i], theta[last] = theta[last], theta[i]
                rows[[i, last]] = rows[[last, i]]
                inv.swap(i, last, k)
            inv.drop_last(k)
            gone = int(S[last])
            inS2[gone] = inS2[p + gone] = False
            k = last
            if k == 0:
                return zero, q.copy(), events, False
            ub[:k] = inv.apply(q[S[:k]], k)  # (two products: cheaper than one with 2 columns)
            vb[:k] = inv.apply(theta[:k], k)
            u, v = ub[:k], vb[:k]
            continue
        j = jj if jj < p else jj - p
        sign = 1.0 if jj < p else -1.0


class _WideSet:
    """The working set W of `_fit_wide`: ids, columns (rows of XT, scaled by 1/√n), q on W,
    c on W at the last refresh (C), and the gaps to the boundary stacked, D2[:m] = a − c_W
    and D2[m:2m] = a + c_W (+inf on S: never a candidate), so that both crossings c_j = ±a
    are one ratio test; D2 is carried along the path (D2 −= t·(1 ∓ g)) between refreshes."""

    def __init__(self, prob: Problem, start: IntArray, scale: float) -> None:
        self.prob, self.scale = prob, scale
        self.cap = cap = max(2 * start.size, 64)
        self.ids = np.empty(cap, dtype=np.intp)
        self.XT = np.empty((cap, prob.n))
        self.qW = np.empty(cap)
        self.C = np.empty(cap)
        self.member = np.zeros(prob.p, dtype=bool)
        self._scratch(cap)
        self.m = 0
        self.add(start, prob.y)

    def _scratch(self, cap: int) -> None:
        self.D2 = np.empty(2 * cap)  # gaps a ∓ c_W
        self.T2 = np.empty(2 * cap)  # their rates of change 1 ∓ g_W
        self.R2 = np.empty(2 * cap)  # ratio-test rates, then scratch
        self.g = np.empty(cap)

    def add(self, new: IntArray, r: FloatArray) -> None:
        """Append `new` to W with c_j = x_jᵀr/n (r: the residual at the current point).

        D2 is stale until the next `restack` (every caller restacks after changing W)."""
        m, n = self.m, self.prob.n
        m1 = m + new.size
        if m1 > self.cap:
            self.cap = cap = max(2 * self.cap, m1)
            self.ids, self.qW = np.resize(self.ids, cap), np.resize(self.qW, cap)
            self.C = np.resize(self.C, cap)
            grown = np.empty((cap, n))
            grown[:m] = self.XT[:m]
            self.XT = grown
            self._scratch(cap)
        self.ids[m:m1] = new
        rows = self.XT[m:m1]
        np.multiply(self.prob.X[:, new].T, self.scale, out=rows)
        self.qW[m:m1] = self.prob.Xty[new]
        self.member[new] = True
        np.multiply(rows @ r, self.scale, out=self.C[m:m1])
        self.m = m1

    def refresh(self, r: FloatArray) -> None:
        """c on W from the residual r (no drift)."""
        m = self.m
        np.matmul(self.XT[:m], r, out=self.C[:m])
        self.C[:m] *= self.scale

    def restack(self, a: float, S: IntArray) -> None:
        """D2 from C at the current a, with S (local) masked out."""
        m, D2 = self.m, self.D2
        np.subtract(a, self.C[:m], out=D2[:m])
        np.add(a, self.C[:m], out=D2[m : 2 * m])
        D2[S] = np.inf
        D2[S + m] = np.inf


def _fit_wide(
    prob: Problem, a_target: float, b: float, max_events: int
) -> tuple[FloatArray, FloatArray, int, bool]:
    """The homotopy on a working set W for wide designs (p > _WIDE·n).

    No Gram rows are stored: g on W comes from X itself, g_W = X_Wᵀ(X_S·v)/n (two products
    over n per event, about what one stored row costs to form), so a coordinate joining W
    costs one copy of its column. X_S (in S's order) and X_W (in W's order) are kept as rows,
    scaled by 1/√n so that their products are Gram entries. Along a segment only w_S (moving
    by t·v) and the gaps D2 (moving by t·(1 ∓ g)) are carried; c_W is recomputed from X at
    every checkpoint and at least every 16 events. A checkpoint keeps (a, S, θ, w_S, v) only:
    going back to one (rare) re-forms M⁻¹ by one k×k inversion instead of every checkpoint
    copying it.
    """
    p, n = prob.p, prob.n
    q, X, y = prob.Xty, prob.X, prob.y
    aq = np.abs(q)
    a = float(aq.max())
    scale = 1.0 / np.sqrt(n)
    sqrt_n = float(np.sqrt(n))
    start = np.flatnonzero(aq >= 0.8 * a)
    if start.size < 16:
        start = np.argpartition(-aq, min(16, p) - 1)[: min(16, p)]
    ws = _WideSet(prob, start, scale)
    m = ws.m
    kcap = 64
    S = np.empty(kcap, dtype=np.intp)  # local indices into W
    theta = np.empty(kcap)
    XS = np.empty((kcap, n))  # x_j of S, in S's order
    inv = _Inverse(kcap)
    wb = np.empty(kcap)  # w_S at the current a and v = M⁻¹θ live in wb[:k], vb[:k]
    vb = np.empty(kcap)
    kb = np.empty(kcap)  # scratch
    k = 0
    w, v = wb[:0], vb[:0]
    X32: FloatArray | None = None  # float32 X for the screening passes (formed at the first)
    bound_per_r = np.zeros(0)  # _F32_SLACK·‖x_j‖, for the float32 rounding bound
    events = 0
    since = 0  # events since the last checkpoint
    margin = 0.2 * a
    ckpt = _Checkpoint(a, 0, S[:0].copy(), theta[:0].copy(), w.copy(), v.copy())
    ckpt_off: FloatArray = aq * n  # n·|c| at the last checkpoint (outside W where screened)
    ws.restack(a, S[:0])
    D2, T2, R2 = ws.D2, ws.T2, ws.R2
    vm = -1  # the m the views below were taken for
    refreshed = 0  # events at the last refresh of c on W (periodic or at a checkpoint)
    tiny = 2.0**-126
    inf = np.inf

    def handover() -> tuple[FloatArray, FloatArray, int, bool]:
        w_full = np.zeros(p)
        if ckpt.k:
            w_full[ws.ids[ckpt.S]] = ckpt.w
        return w_full, prob.grad_corr(w_full), events, False

    # Start: the largest |q_j| enters at a = max|q|.
    first = int(np.argmax(aq))
    j = int(np.flatnonzero(ws.ids[:m] == first)[0])
    sign = 1.0 if q[first] > 0 else -1.0
    while True:
        if j >= 0:
            # Enter local j with `sign` at the current a (bordering M⁻¹ by its Schur
            # complement). w_j = 0 there: only v changes.
            if k == kcap:
                kcap = 2 * kcap
                S, theta = np.resize(S, kcap), np.resize(theta, kcap)
                XS = np.resize(XS, (kcap, n))
                inv.resize(kcap, k)
                wb, vb, kb = np.resize(wb, kcap), np.resize(vb, kcap), np.empty(kcap)
            xj = ws.XT[j]
            m_ = XS[:k] @ xj
            d = float(xj.dot(xj)) + b
            Mm = inv.apply(m_, k)
            s = d - float(m_.dot(Mm))
            if not s > 1e-10 * max(d, 1e-300):  # degenerate: hand over the last checkpoint
                return handover()
            inv.border(k, Mm, s)
            dv_ = (float(m_.dot(v)) - sign) / s
            Mm *= dv_
            vb[:k] += Mm
            vb[k] = -dv_
            wb[k] = 0.0
            XS[k] = xj
            S[k], theta[k] = j, sign
            D2[j] = D2[m + j] = inf
            k += 1
            w, v = wb[:k], vb[:k]
            j = -1
        if events - refreshed >= 16:  # refresh c on W from X itself: no drift
            ws.refresh(y - (w * sqrt_n) @ XS[:k])
            ws.restack(a, S[:k])
            refreshed = events
        if m != vm or D2 is not ws.D2:  # W changed: fresh views of its arrays
            vm, m2 = m, 2 * m
            D2, T2, R2 = ws.D2, ws.T2, ws.R2
            XWm, g, T2m, D2m, rate = ws.XT[:m], ws.g[:m], T2[:m2], D2[:m2], R2[:m2]
            T2lo, T2hi = T2[:m], T2[m:m2]
        np.matmul(XWm, v @ XS[:k], out=g)
        np.subtract(1.0, g, out=T2lo)
        np.add(1.0, g, out=T2hi)
        # The next to enter: c_j − t·g_j = ±(a − t) at t = (a ∓ c_j)/(1 ∓ g_j), i.e. the
        # largest rate (1 ∓ g)/(a ∓ c) over both halves (D2 ≥ 0 off S, +inf on S). A gap
        # below 1e-12·a counts as 1e-12·a: a coordinate on the boundary and moving out still
        # enters at once (within 1e-12·a), one moving along it (1 ∓ g ≈ 0: a duplicate of an
        # active column) does not, whatever the sign of its rounding.
        np.maximum(D2m, 1e-12 * a, out=rate)
        np.divide(T2m, rate, out=rate)
        jj = int(rate.argmax())
        rj = float(rate[jj])
        te = 1.0 / rj if rj > 0.0 else inf
        # The next to leave: w_i + t·v_i = 0 at t_i = −w_i/v_i, the smallest t_i > e = 1e-12·a,
        # i.e. the largest z_i = 1/(t_i − e) = v_i/(−e·v_i − w_i) (positive exactly then).
        z = np.multiply(v, -1e-12 * a, out=kb[:k])
        z -= w
        np.divide(v, z, out=z)
        i = int(z.argmax())
        zi = float(z[i])
        if zi > 0.0:
            tl = -float(wb[i]) / float(vb[i])
        elif zi == zi:
            tl = inf
        else:  # (a 0/0: w_i = v_i = 0) the same test with the NaNs masked
            nt = w / v
            nt[~(nt < -1e-12 * a)] = -inf
            i = int(nt.argmax())
            tl = -float(nt[i])
        t = min(tl, te)
        at_end = not a - t > a_target
        if at_end or since >= _CHECK_EVERY or (since >= _MIN_SINCE and a - t < _SHRINK * ckpt.a):
            # Verify the current point (a_target at the end) against every column of X.
            a_chk = a_target if at_end else a
            w_chk = w + (a - a_chk) * v if at_end else w
            r = y - (w_chk * sqrt_n) @ XS[:k]
            thr = n * (a_chk * (1.0 + KKT_RTOL) + KKT_ATOL)
            if at_end:
                off = np.abs(X.T @ r)
                off[ws.ids[:m]] = 0.0  # n·|c_j| outside W
                viol = np.flatnonzero(off > thr)
            else:
                # A screening pass in float32 (half the memory traffic of a float64 pass
                # over X). A float32 dot product of length n, the rounding of x_j and r
                # included, is off by at most γ·‖x_j‖·‖r‖ (γ = (n + 2)·2⁻²⁴, Higham's
                # bound) plus what underflow below 2⁻¹²⁶ loses; every column within that of
                # the threshold (or not finite in float32) is recomputed in float64, so the
                # screening decides exactly as a float64 pass would.
                if X32 is None:
                    X32 = X.astype(np.float32)
                    bound_per_r = _F32_SLACK * np.sqrt(np.einsum("ij,ij->j", X, X))
                off = X32.T @ r.astype(np.float32)
                np.abs(off, out=off)
                off[ws.ids[:m]] = 0.0  # n·|c_j| outside W
                rn = float(np.linalg.norm(r))
                # lim = thr − slack, the slack widened by what forming lim may round away
                lim = bound_per_r * -((n + 2) * 2.0**-24 * rn + tiny * np.sqrt(n))
                lim += thr - _F32_SLACK * (n + 2) * tiny - 2.0**-50 * thr
                unsure = np.flatnonzero(~(off <= lim))
                viol = unsure[:0]
                if unsure.size:
                    unsure = unsure[~ws.member[unsure]]
                    exact = np.abs(X[:, unsure].T @ r)
                    off[unsure] = exact
                    viol = unsure[exact > thr]
            if viol.size == 0:
                if at_end:
                    return _finish(
                        prob,
                        ws.ids[S[:k]],
                        theta[:k].copy(),
                        inv.dense(k),
                        w_chk,
                        a_target,
                        b,
                        events,
                        XS=XS[:k],
                    )
                # On the full path: a checkpoint. W becomes S plus the coordinates within
                # `margin` of the boundary: twice the stretch of a the next batch may cover
                # (at most 1 − _SHRINK of a), as in the strong rules (|dc_j/da| ≤ 1 assumed;
                # a wrong guess costs a replay, never the answer).
                margin = _MARGIN * max(min(ckpt.a - a, (1.0 - _SHRINK) * a), 0.005 * a)
                ws.refresh(r)
                refreshed = events
                near = np.flatnonzero(off >= n * (a - margin))  # outside W
                close = np.abs(ws.C[:m]) >= a - margin
                ckpt_off = off
                since = 0
                close[S[:k]] = False
                kept = np.flatnonzero(close)
                changed = near.size > 0
                if m > 2 * (k + kept.size + near.size) + 64:
                    # Rebuild W around S (S first, in its order) and the close ones.
                    keep = np.concatenate([S[:k], kept])
                    m_new = keep.size
                    ws.ids[:m_new], ws.XT[:m_new] = ws.ids[keep], ws.XT[keep]
                    ws.qW[:m_new], ws.C[:m_new] = ws.qW[keep], ws.C[keep]
                    ws.member[:] = False
                    ws.member[ws.ids[:m_new]] = True
                    S[:k] = np.arange(k)
                    m = ws.m = m_new
                    changed = True
                if near.size:
                    ws.add(near, r)
                    m = ws.m
                    D2, T2, R2 = ws.D2, ws.T2, ws.R2
                ws.restack(a, S[:k])
                ckpt = _Checkpoint(a, k, S[:k].copy(), theta[:k].copy(), w.copy(), v.copy())
                if changed:
                    continue  # W changed: the ratio test again, over the new W
                # W as it was: the event found above stands (D2 is now fresh)
            else:
                # A coordinate outside W entered unseen: back to the checkpoint, with it
                # (and the coordinates near the boundary there) in W, and M⁻¹ re-formed.
                near = np.flatnonzero(ckpt_off >= n * (ckpt.a - 2.0 * margin))
                near = np.unique(np.concatenate([viol, near[~ws.member[near]]]))
                a, k = ckpt.a, ckpt.k
                S[:k], theta[:k] = ckpt.S, ckpt.theta
                XS[:k] = ws.XT[S[:k]]
                wb[:k] = ckpt.w
                w, v = wb[:k], vb[:k]
                M = XS[:k] @ XS[:k].T
                M.flat[:: k + 1] += b
                try:
                    Minv = np.linalg.inv(M).astype(np.float64, copy=False) if k else M
                except np.linalg.LinAlgError:
                    return handover()
                inv.load(Minv, k)
                vb[:k] = Minv @ theta[:k]
                r = y - (w * sqrt_n) @ XS[:k]
                ws.add(near, r)
                m = ws.m
                D2, T2, R2 = ws.D2, ws.T2, ws.R2
                ws.refresh(r)
                ws.restack(a, S[:k])
                refreshed = events
                margin *= 2.0
                since = 0
                if k == 0:  # back at the start: the first coordinate enters again
                    j = int(np.flatnonzero(ws.ids[:m] == first)[0])
                    sign = 1.0 if q[first] > 0 else -1.0
                continue
        events += 1
        since += 1
        if events > max_events:
            return handover()
        np.multiply(T2m, t, out=rate)  # (rate: scratch now)
        D2m -= rate
        np.multiply(v, t, out=z)
        w += z
        a -= t
        if tl <= te:  # S[i] reaches 0 and leaves: swap it last, then downdate M⁻¹
            last = k - 1
            if i != last:
                S[i], S[last] = S[last], S[i]
                theta[i], theta[last] = theta[last], theta[i]
                wb[i], wb[last] = wb[last], wb[i]
                tmp = XS[i].copy()
                XS[i] = XS[last]
                XS[last] = tmp
                inv.swap(i, last, k)
            inv.drop_last(k)
            gone, th = int(S[last]), float(theta[last])
            D2[gone] = a - th * a  # c_gone = θ·a as it leaves
            D2[m + gone] = a + th * a
            k = last
            if k == 0:
                return np.zeros(p), q.copy(), events, False
            vb[:k] = inv.apply(theta[:k], k)
            w, v = wb[:k], vb[:k]
            continue
        j = jj if jj < m else jj - m
        sign = 1.0 if jj < m else -1.0


def _handover(
    prob: Problem, S: IntArray, w_s: FloatArray, events: int
) -> tuple[FloatArray, FloatArray, int, bool]:
    """The current point (exact for the current a), a warm start for coordinate descent."""
    w = np.zeros(prob.p)
    w[S] = w_s
    return w, prob.grad_corr(w), events, False


def _finish(
    prob: Problem,
    S: IntArray,
    theta: FloatArray,
    Minv: FloatArray,
    w_s: FloatArray,
    a: float,
    b: float,
    events: int,
    *,
    G_ss: FloatArray | None = None,
    XS: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, int, bool]:
    """Re-solve the sign-fixed system at a (refined) and check every KKT condition.

    M = G_SS + b·I is given as G_SS or through XS (rows x_jᵀ/√n): G_SS = XS·XSᵀ. The solve
    is two steps of iterative refinement with the maintained M⁻¹ (a few products instead of
    an LU factorisation); if the result fails the check, an LU solve of M (refined once)
    gets a second chance before the answer is declared inexact.
    """

    def M_times(x: FloatArray) -> FloatArray:
        if G_ss is not None:
            return G_ss @ x + b * x
        assert XS is not None
        return XS @ (x @ XS) + b * x

    rhs = prob.Xty[S] - a * theta
    w_s = Minv @ rhs
    for _ in range(2):
        w_s = w_s + Minv @ (rhs - M_times(w_s))
    out = _check(prob, S, theta, w_s, a, b, events)
    if out[3]:
        return out
    if G_ss is not None:
        M = G_ss.copy()
    else:
        assert XS is not None
        M = XS @ XS.T
    M.flat[:: S.size + 1] += b
    try:
        w_s = np.linalg.solve(M, rhs)
        w_s = w_s + np.linalg.solve(M, rhs - M @ w_s)
    except np.linalg.LinAlgError:
        return out
    return _check(prob, S, theta, w_s, a, b, events)


def _check(
    prob: Problem, S: IntArray, theta: FloatArray, w_s: FloatArray, a: float, b: float, events: int
) -> tuple[FloatArray, FloatArray, int, bool]:
    """(w, corr, events, exact): whether w_s on S with signs θ satisfies every KKT condition."""
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
        and float(np.abs(corr[S] - a * theta - b * w_s).max(initial=0.0)) <= tol_kkt
        and not _violates(off, a).any()
    )
    return w, corr, events, exact
