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
    update of M⁻¹ (and O(|S|) updates of M⁻¹q_S and M⁻¹θ).

    The path is followed on a working set W of candidate coordinates (at first those with
    |q_j| ≥ 0.8·max|q|): every vector operation, and the stored Gram rows G_{S,W} (one
    O(n·|W|) product per entry), cost |W| instead of p. Every _CHECK_EVERY events the current
    point is verified against all p columns (one mat-vec with X): if no coordinate outside W
    violates |c_j| ≤ a, the point is on the full path (the KKT conditions hold for every
    coordinate), it becomes the checkpoint, and the coordinates within a margin of the
    boundary (3× the last stretch of a) join W. If one does violate, the run goes back to
    the checkpoint with the violators (and the near-boundary coordinates there) in W and the
    margin doubled. At a_target the same verification, then the sign-fixed system solved once
    more (one refinement) and every KKT condition checked against X itself.

    Returns (w, corr, events, exact); events counts replayed ones too. Not exact (a
    degenerate step, more than max_events, a failed check): w is the last checkpoint
    (optimal for a larger a, or 0) — a warm start for coordinate descent.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _fit(prob, a_target, b, max_events)


# Checkpoints: every _CHECK_EVERY events the current point is verified against all p columns.
_CHECK_EVERY = 32
# Gram rows formed per matrix product when W is every column (each row is a pass over X).
_ROW_BLOCK = 16
_SHRINK = 0.9
_MARGIN = 2.0
_WIDE = 2


class _Checkpoint(NamedTuple):
    """A point verified to be on the full path: a, |S|, S (local), θ, M⁻¹, M⁻¹q_S, M⁻¹θ."""

    a: float
    k: int
    S: IntArray
    theta: FloatArray
    Minv: FloatArray
    u: FloatArray
    v: FloatArray


class _Candidates:
    """The working set W of the restricted homotopy: global ids and their columns of X."""

    def __init__(self, prob: Problem, ids: IntArray) -> None:
        self.prob = prob
        self.G = prob.gram_if_formed()
        # W = every column (in order): X itself serves, nothing is copied.
        self.full = ids.size == prob.p and bool(np.all(ids == np.arange(prob.p)))
        self.cap = prob.p if self.full else max(2 * ids.size, 64)
        self.ids = np.empty(self.cap, dtype=np.intp)
        self.XT = prob.X.T if self.full or self.G is not None else np.empty((self.cap, prob.n))
        self.m = 0
        self.member = np.zeros(prob.p, dtype=bool)
        if self.full:
            self.ids[:] = ids
            self.member[:] = True
            self.m = prob.p
        else:
            self.add(ids)

    def add(self, new: IntArray) -> None:
        m, k_new = self.m, new.size
        if m + k_new > self.cap:
            self.cap = max(2 * self.cap, m + k_new)
            self.ids = np.resize(self.ids, self.cap)
            if self.G is None:
                grown = np.empty((self.cap, self.prob.n))
                grown[:m] = self.XT[:m]
                self.XT = grown
        self.ids[m : m + k_new] = new
        if self.G is None and not self.full:
            self.XT[m : m + k_new] = self.prob.X[:, new].T
        self.member[new] = True
        self.m = m + k_new

    def rows(self, local: IntArray, cols: slice) -> FloatArray:
        """G restricted to (W[local], W[cols]): x_iᵀx_j/n."""
        if self.G is not None:
            if self.full:
                return self.G[local, cols]
            return self.G[np.ix_(self.ids[local], self.ids[cols])]
        if self.full:
            return (self.prob.X[:, local].T @ self.prob.X[:, cols]) / self.prob.n
        return (self.XT[local] @ self.XT[cols].T) / self.prob.n


def _fit(
    prob: Problem, a_target: float, b: float, max_events: int
) -> tuple[FloatArray, FloatArray, int, bool]:
    p, n = prob.p, prob.n
    q, X, y = prob.Xty, prob.X, prob.y
    zero = np.zeros(p)
    a = float(np.max(np.abs(q))) if p else 0.0
    if not a > a_target or prob.yy == 0.0:
        return zero, q.copy(), 0, a <= a_target
    aq = np.abs(q)
    # Only wide designs (p > _WIDE·n) are worth a working set; otherwise W = every column.
    restrict = p > _WIDE * n
    if restrict:
        start = np.flatnonzero(aq >= 0.8 * a)
        if start.size < 16:
            start = np.argpartition(-aq, min(16, p) - 1)[: min(16, p)]
    else:
        start = np.arange(p)
    W = _Candidates(prob, start)
    kcap = 64
    rows = np.empty((kcap, W.cap))  # rows[i, l] = G_{W[S_i], W[l]}
    S = np.empty(kcap, dtype=np.intp)  # local indices into W
    theta = np.empty(kcap)
    Minv = np.empty((kcap, kcap))
    k = 0
    u = np.zeros(0)
    v = np.zeros(0)
    cW = np.empty(W.cap)  # c on W
    cW[: W.m] = q[W.ids[: W.m]]
    c_full = q.copy()  # c on all p at the last checkpoint
    inS = np.zeros(W.cap, dtype=bool)
    events = 0
    cached: dict[int, FloatArray] = {}  # rows formed ahead (W = every column only)
    r_up = np.zeros(0)
    since = 0  # events since the last checkpoint
    margin = 0.2 * a
    ckpt = _Checkpoint(a, 0, S[:0].copy(), theta[:0].copy(), Minv[:0, :0].copy(), u, v)
    ckpt_c = c_full
    j = -1  # local index of the coordinate to enter (-1: none pending)
    sign = 0.0

    def grow(new: IntArray, c_src: FloatArray) -> None:
        nonlocal rows, cW, inS
        m0 = W.m
        W.add(new)
        if rows.shape[1] < W.cap:
            grown = np.empty((rows.shape[0], W.cap))
            grown[:k, :m0] = rows[:k, :m0]
            rows = grown
        if cW.size < W.cap:
            cW = np.resize(cW, W.cap)
            inS = np.concatenate([inS, np.zeros(W.cap - inS.size, dtype=bool)])
        if k:
            rows[:k, m0 : W.m] = W.rows(S[:k], slice(m0, W.m))
        cW[m0 : W.m] = c_src[new]
        inS[m0 : W.m] = False

    # Start: the largest |q_j| enters at a = max|q|.
    first = int(np.argmax(aq))
    j = int(np.flatnonzero(W.ids[: W.m] == first)[0])
    sign = 1.0 if q[first] > 0 else -1.0
    while True:
        if j >= 0:
            # Enter local j with `sign` at the current a (bordering M⁻¹ by its Schur complement).
            if k == kcap:
                kcap = 2 * kcap
                rows = np.resize(rows, (kcap, rows.shape[1]))
                S = np.resize(S, kcap)
                theta = np.resize(theta, kcap)
                grownM = np.empty((kcap, kcap))
                grownM[:k, :k] = Minv[:k, :k]
                Minv = grownM
            if j in cached:
                row = cached.pop(j)
            elif W.full and W.G is None and p > 1 and r_up.size == p:
                # Every row is a pass over X: form the entering one with the _ROW_BLOCK − 1
                # nearest candidates in one product (the next entries are usually among them).
                near_t = -r_up
                near_t[inS[:p]] = np.inf
                near_t[j] = -np.inf
                C = np.argpartition(near_t, min(_ROW_BLOCK, p) - 1)[: min(_ROW_BLOCK, p)]
                block = W.rows(C, slice(0, p))
                cached = {int(cj): block[i_] for i_, cj in enumerate(C)}
                row = cached.pop(j)
            else:
                row = W.rows(np.array([j]), slice(0, W.m))[0]
            m_ = row[S[:k]]
            d = float(row[j]) + b
            Mm = Minv[:k, :k] @ m_
            s = d - float(m_ @ Mm)
            if not s > 1e-10 * max(d, 1e-300):  # degenerate: hand over the last checkpoint
                return _handover(prob, W, ckpt, restrict, S[:k], u - a * v, events)
            Mm_s = Mm / s
            Minv[:k, :k] += Mm[:, None] * Mm_s
            Minv[:k, k] = Minv[k, :k] = -Mm_s
            Minv[k, k] = 1.0 / s
            qj = float(q[W.ids[j]])
            du_, dv_ = (float(m_ @ u) - qj) / s, (float(m_ @ v) - sign) / s
            u = np.append(u + Mm * du_, -du_)
            v = np.append(v + Mm * dv_, -dv_)
            rows[k, : W.m] = row
            S[k], theta[k] = j, sign
            inS[j] = True
            k += 1
            j = -1
        mW = W.m
        w_s = u - a * v
        if events % 16 == 0 and events:  # refresh c on W from the stored rows: no drift
            cW[:mW] = q[W.ids[:mW]] - w_s @ rows[:k, :mW]
        g = v @ rows[:k, :mW]
        t_leave = -w_s / v
        t_leave[~(t_leave > 1e-12 * a)] = np.inf
        i = int(t_leave.argmin())
        tl = float(t_leave[i])
        cw = cW[:mW]
        n_up = np.maximum(a - cw, 1e-290)
        n_dn = np.maximum(a + cw, 1e-290)
        r_up = (1.0 - g) / n_up
        r_dn = (1.0 + g) / n_dn
        np.maximum(r_up, r_dn, out=r_up)
        r_up[inS[:mW]] = -np.inf
        jj = int(r_up.argmax())
        rj = float(r_up[jj])
        te = 1.0 / rj if rj > 0.0 else np.inf
        t = min(tl, te)
        at_end = not a - t > a_target
        if at_end or (restrict and (since >= _CHECK_EVERY or (since and a - t < _SHRINK * ckpt.a))):
            # Verify the current point (a_target at the end) against every column of X.
            a_chk = a_target if at_end else a
            w_chk = w_s + (a - a_chk) * v
            Sg = W.ids[S[:k]]
            if not restrict:  # nothing outside W: _finish checks every condition
                M = rows[:k][:, S[:k]].copy()
                return _finish(prob, Sg, theta[:k].copy(), M, w_chk, a_target, b, events)
            r = y - (W.XT[S[:k]].T @ w_chk if W.G is None else X[:, Sg] @ w_chk)
            c_new = (X.T @ r) / n
            off = np.abs(c_new)
            off[W.ids[:mW]] = 0.0
            viol = np.flatnonzero(_violates(off, a_chk))
            if viol.size == 0:
                if at_end:
                    M = rows[:k][:, S[:k]].copy()
                    return _finish(prob, Sg, theta[:k].copy(), M, w_chk, a_target, b, events)
                # On the full path: a checkpoint. W becomes S plus the coordinates within
                # `margin` of the boundary: twice the stretch of a the next batch may cover
                # (at most 1 − _SHRINK of a), as in the strong rules (|dc_j/da| ≤ 1 assumed;
                # a wrong guess costs a replay, never the answer).
                margin = _MARGIN * max(min(ckpt.a - a, (1.0 - _SHRINK) * a), 0.005 * a)
                c_abs = np.abs(c_new)
                c_abs[Sg] = np.inf
                keep = np.flatnonzero(c_abs >= a - margin)
                ckpt_c = c_new
                since = 0
                if W.m > 2 * keep.size + 64:  # rebuild W around S (S first, in its order)
                    ids = np.concatenate([Sg, np.setdiff1d(keep, Sg, assume_unique=True)])
                    W = _Candidates(prob, ids)
                    S[:k] = np.arange(k)
                    rows = np.empty((kcap, W.cap))
                    rows[:k, : W.m] = W.rows(S[:k], slice(0, W.m))
                    cW = np.empty(W.cap)
                    cW[: W.m] = c_new[ids]
                    inS = np.zeros(W.cap, dtype=bool)
                    inS[:k] = True
                else:
                    cW[:mW] = c_new[W.ids[:mW]]  # refresh (no drift)
                    near = keep[~W.member[keep]]
                    if near.size:
                        grow(near, c_new)
                ckpt = _Checkpoint(a, k, S[:k].copy(), theta[:k].copy(), Minv[:k, :k].copy(), u, v)
                continue
            # A coordinate outside W entered unseen: back to the checkpoint, with it in W.
            near = np.flatnonzero(np.abs(ckpt_c) >= ckpt.a - 2.0 * margin)
            near = near[~W.member[near]]
            add = np.union1d(viol, near)
            a, k = ckpt.a, ckpt.k
            S[:k], theta[:k], Minv[:k, :k] = ckpt.S, ckpt.theta, ckpt.Minv
            u, v = ckpt.u.copy(), ckpt.v.copy()
            inS[:] = False
            inS[S[:k]] = True
            if k:
                rows[:k, : W.m] = W.rows(S[:k], slice(0, W.m))
            cW[: W.m] = ckpt_c[W.ids[: W.m]]
            margin *= 2.0
            grow(add, ckpt_c)
            since = 0
            if k == 0:  # back at the start: the first coordinate enters again
                j = int(np.flatnonzero(W.ids[: W.m] == first)[0])
                sign = 1.0 if q[first] > 0 else -1.0
            continue
        events += 1
        since += 1
        if events > max_events:
            return _handover(prob, W, ckpt, restrict, S[:k], w_s, events)
        cW[:mW] -= t * g
        a -= t
        if tl <= te:  # S[i] reaches 0 and leaves: swap it last, then downdate M⁻¹
            last = k - 1
            if i != last:
                S[i], S[last] = S[last], S[i]
                theta[i], theta[last] = theta[last], theta[i]
                rows[[i, last], :mW] = rows[[last, i], :mW]
                Minv[[i, last], :k] = Minv[[last, i], :k]
                Minv[:k, [i, last]] = Minv[:k, [last, i]]
            col = Minv[:last, last].copy()
            Minv[:last, :last] -= col[:, None] * (col / Minv[last, last])
            inS[S[last]] = False
            k = last
            if k == 0:
                return zero, q.copy(), events, False
            uv = Minv[:k, :k] @ np.stack([q[W.ids[S[:k]]], theta[:k]], axis=1)
            u, v = uv[:, 0], uv[:, 1]
            continue
        j = jj
        sign = 1.0 if cW[j] > 0 else -1.0


def _handover(
    prob: Problem,
    W: _Candidates,
    ckpt: _Checkpoint,
    restrict: bool,
    S: IntArray,
    w_s: FloatArray,
    events: int,
) -> tuple[FloatArray, FloatArray, int, bool]:
    """The last point known to be on the full path (a warm start for coordinate descent).

    Without a working set that is the current point; with one, the last checkpoint.
    """
    w = np.zeros(prob.p)
    if not restrict:
        w[W.ids[S]] = w_s
    elif ckpt.k:
        w[W.ids[ckpt.S]] = ckpt.u - ckpt.a * ckpt.v
    return w, prob.grad_corr(w), events, False


def _finish(
    prob: Problem,
    S: IntArray,
    theta: FloatArray,
    G_ss: FloatArray,
    w_s: FloatArray,
    a: float,
    b: float,
    events: int,
) -> tuple[FloatArray, FloatArray, int, bool]:
    """Re-solve the sign-fixed system at a once (refined) and check every KKT condition."""
    M = G_ss
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
