"""Single Lasso / Elastic Net fits by homotopy: the same optimum as coordinate descent.

`elastic_net_fit` from w = 0 follows the exact path in a (b held fixed) from lambda_max
down to the requested a, and hands over to coordinate descent when it stops (event budget,
degenerate step, failed KKT check). These tests pin both routes to each other, to the KKT
conditions, and check that the hand-over itself lands on the same optimum.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers._coordinate_descent import Problem, enet_solve
from solvers._homotopy import enet_homotopy_fit
from solvers.elastic_net import elastic_net_fit, elastic_net_objective, lambda_max


def design(kind: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, p = {"tall": (80, 20), "wide": (30, 120), "square": (40, 40)}.get(kind, (50, 15))
    X = rng.standard_normal((n, p))
    if kind == "correlated":
        X = rng.standard_normal((n, 1)) + 0.1 * X
    if kind == "zero_columns":
        X[:, [0, 5, 9]] = 0.0
    if kind == "duplicated":
        X[:, 1] = X[:, 0]
    w = np.zeros(p)
    w[:5] = [3.0, -2.0, 1.5, 0.0, 1.0]
    return X, X @ w + rng.standard_normal(n)


def kkt_violation(X: np.ndarray, y: np.ndarray, w: np.ndarray, a: float, b: float) -> float:
    """Largest violation of the Elastic Net optimality conditions, relative to a."""
    corr = X.T @ (y - X @ w) / X.shape[0] - b * w
    on = w != 0
    worst_on = float(np.abs(corr[on] - a * np.sign(w[on])).max(initial=0.0))
    worst_off = float(np.maximum(np.abs(corr[~on]) - a, 0.0).max(initial=0.0))
    return max(worst_on, worst_off) / a


def cd_fit(X: np.ndarray, y: np.ndarray, a: float, b: float) -> np.ndarray:
    """The coordinate-descent route alone (no homotopy), to a tight tolerance."""
    return enet_solve(Problem(X, y), a, b, tol=1e-15, max_iter=100_000).coef


@pytest.mark.parametrize("kind", ["tall", "wide", "square", "correlated", "zero_columns"])
@pytest.mark.parametrize("r", [1.0, 0.9, 0.5])
@pytest.mark.parametrize("frac", [0.5, 0.05, 0.005])
def test_homotopy_fit_equals_coordinate_descent(kind: str, r: float, frac: float) -> None:
    X, y = design(kind)
    lam = frac * lambda_max(X, y, r)
    a, b = lam * r, lam * (1.0 - r)
    w, _, events, exact = enet_homotopy_fit(Problem(X, y), a, b, 10_000)
    assert exact and events >= 1  # the route under test really ran and finished
    fit = elastic_net_fit(X, y, lam, r, tol=1e-12)
    assert fit.converged
    if X.shape[0] >= X.shape[1] or b < a / 8:  # (else dual Newton: see elastic_net_fit)
        np.testing.assert_array_equal(fit.coef, w)  # the public fit took that route
    np.testing.assert_allclose(fit.coef, w, atol=1e-8)
    assert kkt_violation(X, y, w, a, b) <= 1e-9
    np.testing.assert_allclose(w, cd_fit(X, y, a, b), atol=1e-8)


def test_degenerate_design_hands_over_and_reaches_the_optimum() -> None:
    """Duplicated columns: the homotopy meets a singular step; CD finishes from its point."""
    X, y = design("duplicated")
    lam = 0.01 * lambda_max(X, y)
    fit = elastic_net_fit(X, y, lam, 1.0, tol=1e-14, max_iter=100_000)
    assert fit.converged
    assert kkt_violation(X, y, fit.coef, lam, 0.0) <= 1e-8
    ref = cd_fit(X, y, lam, 0.0)
    assert elastic_net_objective(X, y, fit.coef, lam, 1.0) == pytest.approx(
        elastic_net_objective(X, y, ref, lam, 1.0), rel=1e-12, abs=1e-14
    )


@pytest.mark.parametrize(("kind", "r"), [("wide", 1.0), ("tall", 0.5), ("wide", 0.9)])
def test_event_budget_hands_over_to_coordinate_descent(kind: str, r: float) -> None:
    X, y = design(kind, seed=3)
    lam = 0.01 * lambda_max(X, y, r)
    a, b = lam * r, lam * (1.0 - r)
    prob = Problem(X, y)
    w, _, events, exact = enet_homotopy_fit(prob, a, b, 8)
    assert not exact and events == 9 and np.count_nonzero(w) >= 1
    # The point handed over is exact on the path at some larger a': on its support the
    # correlations all equal a'·sign(w) (+ b·w), and no other coordinate exceeds a'.
    corr = X.T @ (y - X @ w) / X.shape[0] - b * w
    on = np.abs(w) > 1e-12  # (the coordinate entering at a' is still 0 up to rounding)
    levels = corr[on] * np.sign(w[on])
    a_prime = float(levels.mean())
    assert a_prime > a
    np.testing.assert_allclose(levels, a_prime, rtol=1e-9)
    assert np.abs(corr[~on]).max() <= a_prime * (1 + 1e-9)
    res = enet_solve(prob, a, b, w0=w, tol=1e-15, max_iter=100_000)
    assert res.converged
    np.testing.assert_allclose(res.coef, cd_fit(X, y, a, b), atol=1e-8)


@pytest.mark.parametrize("r", [1.0, 0.5])
def test_gram_rows_and_residual_rows_give_the_same_fit(r: float) -> None:
    """With the Gram already formed its rows are used; otherwise x_jᵀX/n in blocks."""
    X, y = design("tall", seed=5)
    lam = 0.01 * lambda_max(X, y, r)
    a, b = lam * r, lam * (1.0 - r)
    gram = Problem(X, y, "gram")
    assert gram.G is not None and gram.gram_if_formed() is not None
    resid = Problem(X, y, "residual")
    w_g, _, _, ok_g = enet_homotopy_fit(gram, a, b, 10_000)
    w_r, _, _, ok_r = enet_homotopy_fit(resid, a, b, 10_000)
    assert ok_g and ok_r
    np.testing.assert_allclose(w_g, w_r, atol=1e-10)
    assert resid.gram_if_formed() is None  # the residual route never formed XᵀX


def test_single_fit_from_zero_does_not_form_the_gram() -> None:
    """A tall design's fit that the homotopy finishes never pays for XᵀX."""
    X, y = design("tall", seed=6)
    prob = Problem(X, y)
    assert prob.use_gram and prob.gram_if_formed() is None
    lam = 0.1 * lambda_max(X, y)
    w, _, _, exact = enet_homotopy_fit(prob, lam, 0.0, 10_000)
    assert exact and prob.gram_if_formed() is None
    np.testing.assert_allclose(w, cd_fit(X, y, lam, 0.0), atol=1e-8)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(5, 40),
    p=st.integers(1, 60),
    frac=st.floats(1e-3, 1.2),
    r=st.sampled_from([1.0, 0.95, 0.5, 0.1]),
)
def test_single_fits_satisfy_kkt_on_random_designs(
    seed: int, n: int, p: int, frac: float, r: float
) -> None:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = X[:, : min(3, p)].sum(axis=1) + rng.standard_normal(n)
    lam = frac * lambda_max(X, y, r)
    fit = elastic_net_fit(X, y, lam, r, tol=1e-14, max_iter=100_000)
    assert fit.converged
    assert kkt_violation(X, y, fit.coef, lam * r, lam * (1.0 - r)) <= 1e-7
    ref = cd_fit(X, y, lam * r, lam * (1.0 - r))
    f_ref = elastic_net_objective(X, y, ref, lam, r)
    assert elastic_net_objective(X, y, fit.coef, lam, r) <= f_ref + 1e-12 * (1 + abs(f_ref))


@pytest.mark.parametrize("r", [1.0, 0.9])
def test_working_set_replays_land_on_the_full_path(
    monkeypatch: pytest.MonkeyPatch, r: float
) -> None:
    """Wide designs follow the path on a working set W; a coordinate outside W that should
    have entered sends the run back to the last checkpoint. With no margin and frequent
    checkpoints that happens often: the answer must still be the full problem's, and equal
    to the run with W = every column."""
    import solvers._homotopy as homotopy

    X, y = design("wide", seed=9)
    lam = 0.005 * lambda_max(X, y, r)
    a, b = lam * r, lam * (1.0 - r)
    growths: list[int] = []
    grow = homotopy._WideSet.add

    def counting_add(self: homotopy._WideSet, new: np.ndarray, r: np.ndarray) -> None:
        growths.append(new.size)
        grow(self, new, r)

    # A checkpoint keeps no copy of M⁻¹: going back to one re-forms it (_Inverse.load).
    reloads: list[int] = []
    load = homotopy._Inverse.load

    def counting_load(self: homotopy._Inverse, M: np.ndarray, k: int) -> None:
        reloads.append(k)
        load(self, M, k)

    monkeypatch.setattr(homotopy._WideSet, "add", counting_add)
    monkeypatch.setattr(homotopy._Inverse, "load", counting_load)
    monkeypatch.setattr(homotopy, "_MARGIN", 0.0)
    monkeypatch.setattr(homotopy, "_CHECK_EVERY", 2)
    w_ws, _, _, exact = enet_homotopy_fit(Problem(X, y), a, b, 100_000)
    assert exact and len(growths) > 2  # W really grew along the way
    assert max(reloads) > 1  # replays from checkpoints with a real active set
    monkeypatch.setattr(homotopy, "_WIDE", 10**9)  # W = every column
    w_all, _, _, exact_all = enet_homotopy_fit(Problem(X, y), a, b, 100_000)
    assert exact_all
    np.testing.assert_allclose(w_ws, w_all, atol=1e-10)
    np.testing.assert_allclose(w_ws, cd_fit(X, y, a, b), atol=1e-8)


def test_n_iter_counts_the_events_and_tol_does_not_change_the_answer() -> None:
    """docs/solvers.md: n_iter counts homotopy events; the answer is exact whatever tol is."""
    X, y = design("tall", seed=10)
    lam = 0.02 * lambda_max(X, y, 0.7)
    a, b = 0.7 * lam, 0.3 * lam
    _, _, events, exact = enet_homotopy_fit(Problem(X, y), a, b, 10_000)
    assert exact
    loose = elastic_net_fit(X, y, lam, 0.7, tol=1e-2)
    tight = elastic_net_fit(X, y, lam, 0.7, tol=0.0)
    assert loose.n_iter == tight.n_iter == events
    np.testing.assert_array_equal(loose.coef, tight.coef)
    assert loose.converged and tight.converged and tight.duality_gap <= 1e-12
    gram = elastic_net_fit(X, y, lam, 0.7, tol=0.0, precompute="gram")
    np.testing.assert_allclose(gram.coef, tight.coef, atol=1e-12)


def test_queued_inverse_equals_the_inverse_of_the_active_gram() -> None:
    """docs/solvers.md: M⁻¹ is kept as a base matrix plus queued rank-one terms. After any
    sequence of entries (bordering), swaps and departures (downdates), across queue flushes
    and capacity growth, it is the inverse of G_SS itself."""
    import solvers._homotopy as homotopy

    rng = np.random.default_rng(0)
    p = 14
    A = rng.standard_normal((40, p))
    G = A.T @ A / 40 + 0.05 * np.eye(p)
    inv = homotopy._Inverse(4)
    cap = 4
    S: list[int] = []
    for _ in range(300):
        k = len(S)
        if k < p and (k == 0 or rng.random() < 0.6):
            if k + 1 > cap:
                cap *= 2
                inv.resize(cap, k)
            j = int(rng.choice([c for c in range(p) if c not in S]))
            m = G[S, j]
            Mm = inv.apply(m, k)
            inv.border(k, Mm, float(G[j, j] - m @ Mm))
            S.append(j)
        else:
            i, last = int(rng.integers(k)), k - 1
            if i != last:
                inv.swap(i, last, k)
                S[i], S[last] = S[last], S[i]
            inv.drop_last(k)
            S.pop()
        if S:
            want = np.linalg.inv(G[np.ix_(S, S)])
            np.testing.assert_allclose(inv.apply(np.eye(len(S)), len(S)), want, atol=1e-8)
    assert S
    np.testing.assert_allclose(inv.dense(len(S)), np.linalg.inv(G[np.ix_(S, S)]), atol=1e-8)


def test_float32_screening_bound_covers_its_rounding() -> None:
    """docs/solvers.md: the working set's screening passes are float32, and every column
    within the rounding bound γ·‖x_j‖·‖r‖ (γ = (n + 2)·2⁻²⁴) of the threshold is recomputed
    in float64. The bound must hold, also for badly scaled columns."""
    rng = np.random.default_rng(4)
    for n in (3, 50, 400):
        X = rng.standard_normal((n, 300)) * rng.choice([1e-20, 1e-3, 1.0, 1e4, 1e20], 300)
        r = rng.standard_normal(n) * 10.0 ** rng.integers(-5, 6)
        exact = np.abs(X.T @ r)
        f32 = np.abs(X.astype(np.float32).T @ r.astype(np.float32)).astype(np.float64)
        bound = (n + 2) * 2.0**-24 * np.linalg.norm(r) * np.linalg.norm(X, axis=0)
        assert np.all(np.abs(f32 - exact) <= bound)


@pytest.mark.parametrize("r", [1.0, 0.9])
def test_screening_recomputes_near_the_boundary_without_changing_the_answer(
    monkeypatch: pytest.MonkeyPatch, r: float
) -> None:
    """docs/solvers.md: columns the float32 screening cannot decide are recomputed in
    float64. Widening that band (here to every column nearer than 10⁸× the rounding bound)
    recomputes more and must not change the path, the events or the answer."""
    import solvers._homotopy as homotopy

    X, y = design("wide", seed=5)
    lam = 0.01 * lambda_max(X, y, r)
    a, b = lam * r, lam * (1.0 - r)
    w, _, events, exact = enet_homotopy_fit(Problem(X, y), a, b, 100_000)
    monkeypatch.setattr(homotopy, "_F32_SLACK", 1e8)
    w_wide, _, events_wide, exact_wide = enet_homotopy_fit(Problem(X, y), a, b, 100_000)
    assert exact and exact_wide and events == events_wide
    np.testing.assert_array_equal(w, w_wide)
    assert kkt_violation(X, y, w, a, b) <= 1e-9
    np.testing.assert_allclose(w, cd_fit(X, y, a, b), atol=1e-8)


def test_finish_falls_back_to_lu_when_the_refinement_fails() -> None:
    """docs/solvers.md: the finish refines with the maintained M⁻¹; if that result fails the
    KKT check, an LU solve of M gets a second chance. A useless M⁻¹ (zeros) must still give
    the exact optimum."""
    import solvers._homotopy as homotopy

    X, y = design("tall", seed=2)
    lam = 0.05 * lambda_max(X, y)
    w_ref = cd_fit(X, y, lam, 0.0)
    S = np.flatnonzero(w_ref)
    prob = Problem(X, y)
    G_ss = (X[:, S].T @ X[:, S]) / X.shape[0]
    theta = np.sign(w_ref[S])
    good = homotopy._finish(prob, S, theta, np.linalg.inv(G_ss), w_ref[S], lam, 0.0, 7, G_ss=G_ss)
    bad = homotopy._finish(prob, S, theta, np.zeros_like(G_ss), w_ref[S], lam, 0.0, 7, G_ss=G_ss)
    for w, _, events, exact in (good, bad):
        assert exact and events == 7
        np.testing.assert_allclose(w, w_ref, atol=1e-9)


@pytest.mark.parametrize("r", [1.0, 0.95])
@pytest.mark.parametrize("frac", [0.1, 0.01])
def test_wide_duplicated_columns_never_enter_beside_their_twin(r: float, frac: float) -> None:
    """docs/solvers.md: on a working set, a coordinate moving along the boundary (a duplicate
    of an active column: 1 ∓ g = 0 up to rounding) does not enter, whatever the sign of its
    rounding, so wide designs with duplicated columns finish exactly on the homotopy (no
    degenerate step handed to coordinate descent) at the same optimum."""
    rng = np.random.default_rng(11)
    base = rng.standard_normal((30, 45))
    X = np.concatenate([base, base[:, :25]], axis=1)  # 70 > 2·30 columns, 25 of them twins
    y = base[:, :4] @ np.array([2.0, -1.5, 1.0, 0.5]) + 0.1 * rng.standard_normal(30)
    lam = frac * lambda_max(X, y, r)
    a, b = lam * r, lam * (1.0 - r)
    w, _, _, exact = enet_homotopy_fit(Problem(X, y), a, b, 100_000)
    assert exact
    assert kkt_violation(X, y, w, a, b) <= 1e-9
    f = elastic_net_objective(X, y, w, lam, r)
    f_cd = elastic_net_objective(X, y, cd_fit(X, y, a, b), lam, r)
    assert f <= f_cd + 1e-12 * (1 + abs(f_cd))
