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
        p = prob.p
        if p and prob.yy != 0.0 and p > _WIDE * prob.n and float(np.abs(prob.Xty).max()) > a_target:
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
# Screening passes in float32 flag |c_j| > a·(1 + _F32_RTOL) (float32 rounding stays below).
_F32_RTOL = 1e-5


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
        self.copied = not (self.full or self.G is not None)  # XT holds W's columns, in W's order
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

    def column(self, local: int) -> FloatArray:
        """x_j for the local index j."""
        return self.XT[local] if self.copied else self.XT[self.ids[local]]

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
    inv_n = 1.0 / n
    kcap = 64
    rows = np.empty((kcap, W.cap))  # rows[i, l] = G_{W[S_i], W[l]}
    S = np.empty(kcap, dtype=np.intp)  # local indices into W
    theta = np.empty(kcap)
    inv = _Inverse(kcap)
    k = 0
    ub = np.empty(kcap)  # u = M⁻¹q_S and v = M⁻¹θ live in ub[:k], vb[:k]
    vb = np.empty(kcap)
    u = ub[:0]
    v = vb[:0]
    XS = np.empty((kcap, n)) if restrict else np.empty((0, n))  # x_j of S, in S's order
    X32: FloatArray | None = None  # float32 X for the screening passes (formed at the first)
    # c on W stacked with its negative, C2[:m] = c_W and C2[m:2m] = −c_W (m = |W|), and g
    # (the rate of c as a falls) the same way: both crossings c_j = ±a are one ratio test.
    # inS2 marks S on both halves; qW = q on W.
    C2 = np.empty(2 * W.cap)
    G2 = np.empty(2 * W.cap)
    R2 = np.empty(2 * W.cap)  # the entry rates of the last ratio test
    T2 = np.empty(2 * W.cap)  # scratch
    inS2 = np.zeros(2 * W.cap, dtype=bool)
    qW = np.empty(W.cap)
    qW[: W.m] = q[W.ids[: W.m]]
    C2[: W.m] = qW[: W.m]
    np.negative(C2[: W.m], out=C2[W.m : 2 * W.m])
    events = 0
    cached: dict[int, FloatArray] = {}  # rows formed ahead (W = every column only)
    have_rates = False
    since = 0  # events since the last checkpoint
    margin = 0.2 * a
    ckpt = _Checkpoint(a, 0, S[:0].copy(), theta[:0].copy(), np.zeros((0, 0)), u.copy(), v.copy())
    ckpt_c = aq * n  # n·|c| at the last checkpoint (outside W where it was screened)
    j = -1  # local index of the coordinate to enter (-1: none pending)
    sign = 0.0

    def restack() -> None:
        """The lower halves of C2 and inS2 from the upper ones (after W or c_W changed)."""
        m = W.m
        np.negative(C2[:m], out=C2[m : 2 * m])
        inS2[m : 2 * m] = inS2[:m]

    def grow(new: IntArray, w_cur: FloatArray) -> None:
        """Add `new` to W: their rows against S and their c at the current point w_cur."""
        nonlocal rows, C2, G2, R2, T2, inS2, qW
        m0 = W.m
        W.add(new)
        m1 = W.m
        if qW.size < W.cap:
            grown = np.empty((rows.shape[0], W.cap))
            grown[:k, :m0] = rows[:k, :m0]
            rows = grown
            C2 = np.resize(C2, 2 * W.cap)
            inS2 = np.resize(inS2, 2 * W.cap)
            qW = np.resize(qW, W.cap)
            G2, R2, T2 = np.empty(2 * W.cap), np.empty(2 * W.cap), np.empty(2 * W.cap)
        qW[m0:m1] = q[new]
        C2[m0:m1] = qW[m0:m1]
        if k:
            if restrict and W.copied:  # x_j of S are at hand in XS: no gather
                np.multiply(XS[:k] @ W.XT[m0:m1].T, inv_n, out=rows[:k, m0:m1])
            else:
                rows[:k, m0:m1] = W.rows(S[:k], slice(m0, m1))
            C2[m0:m1] -= w_cur @ rows[:k, m0:m1]
        inS2[m0:m1] = False
        restack()

    # Start: the largest |q_j| enters at a = max|q|.
    first = int(np.argmax(aq))
    j = int(np.flatnonzero(W.ids[: W.m] == first)[0])
    sign = 1.0 if q[first] > 0 else -1.0
    while True:
        m = W.m
        if j >= 0:
            # Enter local j with `sign` at the current a (bordering M⁻¹ by its Schur complement).
            if k == kcap:
                kcap = 2 * kcap
                rows = np.resize(rows, (kcap, rows.shape[1]))
                S = np.resize(S, kcap)
                theta = np.resize(theta, kcap)
                inv.resize(kcap, k)
                ub, vb = np.resize(ub, kcap), np.resize(vb, kcap)
                if restrict:
                    XS = np.resize(XS, (kcap, n))
            row = rows[k, :m]
            if j in cached:
                row[:] = cached.pop(j)
            elif W.full and W.G is None and p > 1 and have_rates:
                # Every row is a pass over X: form the entering one with the _ROW_BLOCK − 1
                # nearest candidates in one product (the next entries are usually among them).
                near_t = -np.maximum(R2[:m], R2[m : 2 * m])
                near_t[inS2[:m]] = np.inf
                near_t[j] = -np.inf
                C = np.argpartition(near_t, min(_ROW_BLOCK, p) - 1)[: min(_ROW_BLOCK, p)]
                block = W.rows(C, slice(0, p))
                cached = {int(cj): block[i_] for i_, cj in enumerate(C)}
                row[:] = cached.pop(j)
            elif W.G is not None:
                row[:] = W.rows(np.array([j]), slice(0, m))[0]
            else:
                np.multiply(W.column(j) @ W.XT[:m].T, inv_n, out=row)
            m_ = row[S[:k]]
            d = float(row[j]) + b
            Mm = inv.apply(m_, k)
            s = d - float(m_ @ Mm)
            if not s > 1e-10 * max(d, 1e-300):  # degenerate: hand over the last checkpoint
                return _handover(prob, W, ckpt, restrict, S[:k], u - a * v, events)
            inv.border(k, Mm, s)
            du_ = (float(m_ @ u) - float(qW[j])) / s
            dv_ = (float(m_ @ v) - sign) / s
            ub[:k] += Mm * du_
            vb[:k] += Mm * dv_
            ub[k], vb[k] = -du_, -dv_
            if restrict:
                XS[k] = W.column(j)
            S[k], theta[k] = j, sign
            inS2[j] = inS2[m + j] = True
            k += 1
            u, v = ub[:k], vb[:k]
            j = -1
        if events % 16 == 0 and events:  # refresh c on W from the stored rows: no drift
            np.subtract(qW[:m], (u - a * v) @ rows[:k, :m], out=C2[:m])
            np.negative(C2[:m], out=C2[m : 2 * m])
        G = G2[: 2 * m]
        np.matmul(v, rows[:k, :m], out=G2[:m])
        np.negative(G2[:m], out=G2[m : 2 * m])
        # The next coordinate to leave: w_i(a') = u_i − a'·v_i is 0 at a' = u_i/v_i (the
        # largest such a' below a).
        lv = u / v
        lv[~(lv < a - 1e-12 * a)] = -np.inf
        i = int(lv.argmax())
        tl = a - float(lv[i])
        # The next to enter: c_j − t·g_j = ±(a − t) at t = (a ∓ c_j)/(1 ∓ g_j), i.e. the
        # largest rate (1 − G)/(a − C) over both halves (C2 ≤ a off S).
        rate = R2[: 2 * m]
        np.subtract(a, C2[: 2 * m], out=rate)
        np.maximum(rate, 1e-290, out=rate)
        np.subtract(1.0, G, out=T2[: 2 * m])
        np.divide(T2[: 2 * m], rate, out=rate)
        rate[inS2[: 2 * m]] = -np.inf
        have_rates = True
        jj = int(rate.argmax())
        rj = float(rate[jj])
        te = 1.0 / rj if rj > 0.0 else np.inf
        t = min(tl, te)
        at_end = not a - t > a_target
        if at_end or (restrict and (since >= _CHECK_EVERY or (since and a - t < _SHRINK * ckpt.a))):
            # Verify the current point (a_target at the end) against every column of X.
            a_chk = a_target if at_end else a
            w_s = u - a * v
            w_chk = w_s + (a - a_chk) * v
            Sg = W.ids[S[:k]]
            if not restrict:  # nothing outside W: _finish checks every condition
                M = rows[:k][:, S[:k]]
                Mi = inv.dense(k)
                return _finish(prob, Sg, theta[:k].copy(), Mi, w_chk, a_target, b, events, G_ss=M)
            r = y - w_chk @ XS[:k]
            if at_end:
                off = np.abs(X.T @ r)
                thr = n * (a_chk * (1.0 + KKT_RTOL) + KKT_ATOL)
            else:
                # A screening pass (which columns outside W cross the boundary or come near
                # it), in float32: half the memory traffic of the pass over X. W's own c come
                # from the float64 rows; the last check (above) and _finish use X itself, so
                # a violation within float32 rounding is at worst noticed later.
                if X32 is None:
                    X32 = X.astype(np.float32)
                off = np.abs(X32.T @ r.astype(np.float32))
                thr = n * a_chk * (1.0 + _F32_RTOL)
            off[W.ids[:m]] = 0.0  # n·|c_j| outside W
            viol = np.flatnonzero(off > thr)
            if viol.size == 0:
                if at_end:
                    M = rows[:k][:, S[:k]]
                    Mi = inv.dense(k)
                    return _finish(
                        prob, Sg, theta[:k].copy(), Mi, w_chk, a_target, b, events, G_ss=M
                    )
                # On the full path: a checkpoint. W becomes S plus the coordinates within
                # `margin` of the boundary: twice the stretch of a the next batch may cover
                # (at most 1 − _SHRINK of a), as in the strong rules (|dc_j/da| ≤ 1 assumed;
                # a wrong guess costs a replay, never the answer).
                margin = _MARGIN * max(min(ckpt.a - a, (1.0 - _SHRINK) * a), 0.005 * a)
                np.subtract(qW[:m], w_s @ rows[:k, :m], out=C2[:m])  # refresh (no drift)
                near = np.flatnonzero(off >= n * (a - margin))  # outside W
                ckpt_c = off
                since = 0
                close = np.abs(C2[:m]) >= a - margin
                close[S[:k]] = False
                kept = np.flatnonzero(close)
                if m > 2 * (k + kept.size + near.size) + 64:
                    # Rebuild W around S (S first, in its order), the close ones and `near`.
                    ids = np.concatenate([Sg, W.ids[kept], near])
                    W = _Candidates(prob, ids)
                    S[:k] = np.arange(k)
                    rows = np.empty((kcap, W.cap))
                    C2, G2 = np.empty(2 * W.cap), np.empty(2 * W.cap)
                    R2, T2 = np.empty(2 * W.cap), np.empty(2 * W.cap)
                    inS2 = np.zeros(2 * W.cap, dtype=bool)
                    inS2[:k] = True
                    qW = q[ids]
                    qW = np.resize(qW, W.cap)
                    C2[: W.m] = qW[: W.m]
                    if k:
                        rows[:k, : W.m] = W.rows(S[:k], slice(0, W.m))
                        C2[: W.m] -= w_s @ rows[:k, : W.m]
                    restack()
                elif near.size:
                    grow(near, w_s)
                else:
                    restack()
                Mk = inv.dense(k).copy()
                ckpt = _Checkpoint(a, k, S[:k].copy(), theta[:k].copy(), Mk, u.copy(), v.copy())
                continue
            # A coordinate outside W entered unseen: back to the checkpoint, with it in W.
            near = np.flatnonzero(ckpt_c >= n * (ckpt.a - 2.0 * margin))
            near = near[~W.member[near]]
            add = np.union1d(viol, near)
            a, k = ckpt.a, ckpt.k
            S[:k], theta[:k] = ckpt.S, ckpt.theta
            inv.load(ckpt.Minv, k)
            ub[:k], vb[:k] = ckpt.u, ckpt.v
            u, v = ub[:k], vb[:k]
            w_s = u - a * v
            inS2[:] = False
            inS2[S[:k]] = True
            C2[:m] = qW[:m]
            if k:
                rows[:k, :m] = W.rows(S[:k], slice(0, m))
                C2[:m] -= w_s @ rows[:k, :m]
                XS[:k] = X[:, W.ids[S[:k]]].T
            margin *= 2.0
            grow(add, w_s)
            since = 0
            if k == 0:  # back at the start: the first coordinate enters again
                j = int(np.flatnonzero(W.ids[: W.m] == first)[0])
                sign = 1.0 if q[first] > 0 else -1.0
            continue
        events += 1
        since += 1
        if events > max_events:
            return _handover(prob, W, ckpt, restrict, S[:k], u - a * v, events)
        np.multiply(G, t, out=T2[: 2 * m])
        C2[: 2 * m] -= T2[: 2 * m]
        a -= t
        if tl <= te:  # S[i] reaches 0 and leaves: swap it last, then downdate M⁻¹
            last = k - 1
            if i != last:
                S[i], S[last] = S[last], S[i]
                theta[i], theta[last] = theta[last], theta[i]
                rows[[i, last], :m] = rows[[last, i], :m]
                inv.swap(i, last, k)
                if restrict:
                    XS[[i, last]] = XS[[last, i]]
            inv.drop_last(k)
            gone = int(S[last])
            inS2[gone] = inS2[m + gone] = False
            k = last
            if k == 0:
                return zero, q.copy(), events, False
            ub[:k] = inv.apply(qW[S[:k]], k)  # (two products: cheaper than one with 2 columns)
            vb[:k] = inv.apply(theta[:k], k)
            u, v = ub[:k], vb[:k]
            continue
        j = jj if jj < m else jj - m
        sign = 1.0 if jj < m else -1.0


class _WideSet:
    """The working set W of `_fit_wide`: ids, columns (rows of XT, scaled by 1/√n), q on W,
    and c and g on W stacked with their negatives (C2[:m] = c_W, C2[m:2m] = −c_W, G2 the
    same), so that both crossings c_j = ±a are one ratio test; inS2 marks S on both halves."""

    def __init__(self, prob: Problem, start: IntArray, scale: float) -> None:
        self.prob, self.scale = prob, scale
        self.cap = cap = max(2 * start.size, 64)
        self.ids = np.empty(cap, dtype=np.intp)
        self.XT = np.empty((cap, prob.n))
        self.qW = np.empty(cap)
        self.member = np.zeros(prob.p, dtype=bool)
        self.C2, self.G2 = np.empty(2 * cap), np.empty(2 * cap)
        self.R2, self.T2 = np.empty(2 * cap), np.empty(2 * cap)  # ratio-test rates, scratch
        self.inS2 = np.zeros(2 * cap, dtype=bool)
        self.m = 0
        self.add(start, prob.y)
        self.restack()

    def add(self, new: IntArray, r: FloatArray) -> None:
        """Append `new` to W with c_j = x_jᵀr/n (r: the residual at the current point)."""
        m, n = self.m, self.prob.n
        m1 = m + new.size
        if m1 > self.cap:
            self.cap = cap = max(2 * self.cap, m1)
            self.ids, self.qW = np.resize(self.ids, cap), np.resize(self.qW, cap)
            grown = np.empty((cap, n))
            grown[:m] = self.XT[:m]
            self.XT = grown
            self.C2, self.inS2 = np.resize(self.C2, 2 * cap), np.resize(self.inS2, 2 * cap)
            self.G2, self.R2, self.T2 = np.empty(2 * cap), np.empty(2 * cap), np.empty(2 * cap)
        self.ids[m:m1] = new
        np.multiply(self.prob.X[:, new].T, self.scale, out=self.XT[m:m1])
        self.qW[m:m1] = self.prob.Xty[new]
        self.member[new] = True
        np.multiply(self.XT[m:m1] @ r, self.scale, out=self.C2[m:m1])
        self.inS2[m:m1] = False
        self.m = m1

    def restack(self) -> None:
        """The lower halves of C2 and inS2 from the upper ones (after W or c_W changed)."""
        m = self.m
        np.negative(self.C2[:m], out=self.C2[m : 2 * m])
        self.inS2[m : 2 * m] = self.inS2[:m]


def _fit_wide(
    prob: Problem, a_target: float, b: float, max_events: int
) -> tuple[FloatArray, FloatArray, int, bool]:
    """The homotopy on a working set W for wide designs (p > _WIDE·n).

    No Gram rows are stored: c and g on W come from X itself, g_W = X_Wᵀ(X_S·v)/n (two
    products over n per event, about what one stored row costs to form), so a coordinate
    joining W costs one copy of its column and going back to a checkpoint costs nothing
    but the restore. X_S (in S's order) and X_W (in W's order) are kept as rows, scaled by
    1/√n so that their products are Gram entries.
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
    ub = np.empty(kcap)  # u = M⁻¹q_S and v = M⁻¹θ live in ub[:k], vb[:k]
    vb = np.empty(kcap)
    k = 0
    u, v = ub[:0], vb[:0]
    X32: FloatArray | None = None  # float32 X for the screening passes (formed at the first)
    events = 0
    since = 0  # events since the last checkpoint
    margin = 0.2 * a
    ckpt = _Checkpoint(a, 0, S[:0].copy(), theta[:0].copy(), np.zeros((0, 0)), u.copy(), v.copy())
    ckpt_c = aq * n  # n·|c| at the last checkpoint (outside W where it was screened)

    def handover() -> tuple[FloatArray, FloatArray, int, bool]:
        w = np.zeros(p)
        if ckpt.k:
            w[ws.ids[ckpt.S]] = ckpt.u - ckpt.a * ckpt.v
        return w, prob.grad_corr(w), events, False

    # Start: the largest |q_j| enters at a = max|q|.
    first = int(np.argmax(aq))
    j = int(np.flatnonzero(ws.ids[:m] == first)[0])
    sign = 1.0 if q[first] > 0 else -1.0
    while True:
        if j >= 0:
            # Enter local j with `sign` at the current a (bordering M⁻¹ by its Schur complement).
            if k == kcap:
                kcap = 2 * kcap
                S, theta = np.resize(S, kcap), np.resize(theta, kcap)
                XS = np.resize(XS, (kcap, n))
                inv.resize(kcap, k)
                ub, vb = np.resize(ub, kcap), np.resize(vb, kcap)
            xj = ws.XT[j]
            m_ = XS[:k] @ xj
            d = float(xj @ xj) + b
            Mm = inv.apply(m_, k)
            s = d - float(m_ @ Mm)
            if not s > 1e-10 * max(d, 1e-300):  # degenerate: hand over the last checkpoint
                return handover()
            inv.border(k, Mm, s)
            du_ = (float(m_ @ u) - float(ws.qW[j])) / s
            dv_ = (float(m_ @ v) - sign) / s
            ub[:k] += Mm * du_
            vb[:k] += Mm * dv_
            ub[k], vb[k] = -du_, -dv_
            XS[k] = xj
            S[k], theta[k] = j, sign
            ws.inS2[j] = ws.inS2[m + j] = True
            k += 1
            u, v = ub[:k], vb[:k]
            j = -1
        if events % 16 == 0 and events:  # refresh c on W from X itself: no drift
            np.matmul(ws.XT[:m], y - ((u - a * v) * sqrt_n) @ XS[:k], out=ws.C2[:m])
            ws.C2[:m] *= scale
            np.negative(ws.C2[:m], out=ws.C2[m : 2 * m])
        G = ws.G2[: 2 * m]
        np.matmul(ws.XT[:m], v @ XS[:k], out=ws.G2[:m])
        np.negative(ws.G2[:m], out=ws.G2[m : 2 * m])
        # The next coordinate to leave: w_i(a') = u_i − a'·v_i is 0 at a' = u_i/v_i (the
        # largest such a' below a).
        lv = u / v
        lv[~(lv < a - 1e-12 * a)] = -np.inf
        i = int(lv.argmax())
        tl = a - float(lv[i])
        # The next to enter: c_j − t·g_j = ±(a − t) at t = (a ∓ c_j)/(1 ∓ g_j), i.e. the
        # largest rate (1 − G)/(a − C) over both halves (C2 ≤ a off S).
        rate = ws.R2[: 2 * m]
        np.subtract(a, ws.C2[: 2 * m], out=rate)
        np.maximum(rate, 1e-290, out=rate)
        np.subtract(1.0, G, out=ws.T2[: 2 * m])
        np.divide(ws.T2[: 2 * m], rate, out=rate)
        rate[ws.inS2[: 2 * m]] = -np.inf
        jj = int(rate.argmax())
        rj = float(rate[jj])
        te = 1.0 / rj if rj > 0.0 else np.inf
        t = min(tl, te)
        at_end = not a - t > a_target
        if at_end or since >= _CHECK_EVERY or (since and a - t < _SHRINK * ckpt.a):
            # Verify the current point (a_target at the end) against every column of X.
            a_chk = a_target if at_end else a
            w_s = u - a * v
            w_chk = w_s + (a - a_chk) * v
            r = y - (w_chk * sqrt_n) @ XS[:k]
            if at_end:
                off = np.abs(X.T @ r)
                thr = n * (a_chk * (1.0 + KKT_RTOL) + KKT_ATOL)
            else:
                # A screening pass (which columns outside W cross the boundary or come near
                # it), in float32: half the memory traffic of the pass over X. W's own c come
                # from float64 products; the last check (above) and _finish use X itself,
                # so a violation within float32 rounding is at worst noticed later.
                if X32 is None:
                    X32 = X.astype(np.float32)
                off = np.abs(X32.T @ r.astype(np.float32))
                thr = n * a_chk * (1.0 + _F32_RTOL)
            off[ws.ids[:m]] = 0.0  # n·|c_j| outside W
            viol = np.flatnonzero(off > thr)
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
                np.matmul(ws.XT[:m], r, out=ws.C2[:m])  # refresh (no drift)
                ws.C2[:m] *= scale
                near = np.flatnonzero(off >= n * (a - margin))  # outside W
                ckpt_c = off
                since = 0
                close = np.abs(ws.C2[:m]) >= a - margin
                close[S[:k]] = False
                kept = np.flatnonzero(close)
                if m > 2 * (k + kept.size + near.size) + 64:
                    # Rebuild W around S (S first, in its order) and the close ones.
                    keep = np.concatenate([S[:k], kept])
                    m_new = keep.size
                    ws.ids[:m_new], ws.XT[:m_new] = ws.ids[keep], ws.XT[keep]
                    ws.qW[:m_new], ws.C2[:m_new] = ws.qW[keep], ws.C2[keep]
                    ws.member[:] = False
                    ws.member[ws.ids[:m_new]] = True
                    S[:k] = np.arange(k)
                    ws.inS2[:] = False
                    ws.inS2[:k] = True
                    m = m_new
                    ws.m = m
                if near.size:
                    ws.add(near, r)
                    m = ws.m
                ws.restack()
                ckpt = _Checkpoint(
                    a, k, S[:k].copy(), theta[:k].copy(), inv.dense(k).copy(), u.copy(), v.copy()
                )
                continue
            # A coordinate outside W entered unseen: back to the checkpoint, with it in W.
            near = np.flatnonzero(ckpt_c >= n * (ckpt.a - 2.0 * margin))
            near = np.union1d(viol, near[~ws.member[near]])
            a, k = ckpt.a, ckpt.k
            S[:k], theta[:k] = ckpt.S, ckpt.theta
            inv.load(ckpt.Minv, k)
            ub[:k], vb[:k] = ckpt.u, ckpt.v
            u, v = ub[:k], vb[:k]
            XS[:k] = ws.XT[S[:k]]
            r = y - ((u - a * v) * sqrt_n) @ XS[:k]
            np.matmul(ws.XT[:m], r, out=ws.C2[:m])
            ws.C2[:m] *= scale
            ws.inS2[:] = False
            ws.inS2[S[:k]] = True
            ws.add(near, r)
            m = ws.m
            ws.restack()
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
        np.multiply(G, t, out=ws.T2[: 2 * m])
        ws.C2[: 2 * m] -= ws.T2[: 2 * m]
        a -= t
        if tl <= te:  # S[i] reaches 0 and leaves: swap it last, then downdate M⁻¹
            last = k - 1
            if i != last:
                S[i], S[last] = S[last], S[i]
                theta[i], theta[last] = theta[last], theta[i]
                tmp = XS[i].copy()
                XS[i] = XS[last]
                XS[last] = tmp
                inv.swap(i, last, k)
            inv.drop_last(k)
            gone = int(S[last])
            ws.inS2[gone] = ws.inS2[m + gone] = False
            k = last
            if k == 0:
                return np.zeros(p), q.copy(), events, False
            ub[:k] = inv.apply(ws.qW[S[:k]], k)  # (two products: cheaper than one with 2 columns)
            vb[:k] = inv.apply(theta[:k], k)
            u, v = ub[:k], vb[:k]
            continue
        j = jj if jj < m else jj - m
        sign = 1.0 if jj < m else -1.0


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
    M = G_ss.copy() if G_ss is not None else XS @ XS.T  # type: ignore[union-attr]
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
