"""Ridge, Lasso, Elastic Net and logistic regression against scikit-learn, plus properties.

The oracle is scikit-learn run with a tight tol and a high max_iter. Coefficients must agree
within 1e-6; where the optimum is not unique (duplicated columns) the objectives must agree
within 1e-9 instead. Each of our solutions is also checked directly against its KKT
conditions, which needs no oracle.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers import elastic_net_coordinate_descent, lasso_coordinate_descent, ridge_closed_form
from solvers.elastic_net import (
    elastic_net_duality_gap,
    elastic_net_fit,
    elastic_net_objective,
    elastic_net_path,
    lambda_max,
)
from solvers.l1 import lasso_fista, lasso_ista, lasso_objective, lasso_path
from solvers.l2 import ridge_fit, ridge_gradient_descent, ridge_objective
from solvers.logistic import logistic_objective, logistic_regression

sklm = pytest.importorskip("sklearn.linear_model")


def problem(kind: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, p = {"tall": (60, 12), "wide": (30, 80), "square": (40, 40)}.get(kind, (50, 15))
    X = rng.standard_normal((n, p))
    if kind == "correlated":
        base = rng.standard_normal((n, 1))
        X = base + 0.1 * X  # every pair has correlation ≈ 0.99
    if kind == "zero_columns":
        X[:, [0, 5, 9]] = 0.0
    if kind == "duplicated":
        X[:, 1] = X[:, 0]
    w = np.zeros(p)
    w[: min(5, p)] = [3.0, -2.0, 1.5, 0.0, 1.0][: min(5, p)]
    return X, X @ w + rng.standard_normal(n) + 0.5


SHAPES = ["tall", "wide", "square", "correlated", "zero_columns"]


def assert_enet_kkt(X: np.ndarray, y: np.ndarray, w: np.ndarray, lam: float, r: float) -> None:
    n = X.shape[0]
    a, b = lam * r, lam * (1 - r)
    corr = X.T @ (y - X @ w) / n - b * w
    nz = w != 0
    scale = 1e-8 * max(1.0, float(np.abs(X.T @ y).max()) / n)
    np.testing.assert_allclose(corr[nz], a * np.sign(w[nz]), atol=scale)
    assert np.all(np.abs(corr[~nz]) <= a + scale)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("frac", [0.5, 0.1, 0.02])
def test_lasso_matches_sklearn(shape: str, frac: float) -> None:
    X, y = problem(shape)
    lam = frac * lambda_max(X, y)
    ours = lasso_coordinate_descent(X, y, lam)
    sk = sklm.Lasso(alpha=lam, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y)
    np.testing.assert_allclose(ours, sk.coef_, atol=1e-6)
    assert_enet_kkt(X, y, ours, lam, 1.0)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("r", [0.2, 0.5, 0.9])
def test_elastic_net_matches_sklearn(shape: str, r: float) -> None:
    X, y = problem(shape, seed=1)
    lam = 0.05 * lambda_max(X, y, r)
    ours = elastic_net_coordinate_descent(X, y, lam, r)
    sk = sklm.ElasticNet(
        alpha=lam, l1_ratio=r, fit_intercept=False, tol=1e-14, max_iter=1_000_000
    ).fit(X, y)
    np.testing.assert_allclose(ours, sk.coef_, atol=1e-6)
    assert_enet_kkt(X, y, ours, lam, r)


@pytest.mark.parametrize(("r", "precompute"), [(1.0, "gram"), (0.5, "residual"), (0.7, "auto")])
def test_intercept_and_both_update_modes_match_sklearn(r: float, precompute: str) -> None:
    for shape in ("tall", "wide"):
        X, y = problem(shape, seed=2)
        lam = 0.05 * lambda_max(X - X.mean(0), y - y.mean(), r)
        res = elastic_net_fit(X, y, lam, r, fit_intercept=True, precompute=precompute)  # type: ignore[arg-type]
        sk = sklm.ElasticNet(alpha=lam, l1_ratio=r, tol=1e-14, max_iter=1_000_000).fit(X, y)
        np.testing.assert_allclose(res.coef, sk.coef_, atol=1e-6)
        assert res.intercept == pytest.approx(sk.intercept_, abs=1e-6)
        assert res.converged and res.duality_gap < 1e-10


def test_non_unique_optimum_agrees_in_objective() -> None:
    X, y = problem("duplicated", seed=3)
    lam = 0.05 * lambda_max(X, y)
    ours = lasso_coordinate_descent(X, y, lam)
    sk = sklm.Lasso(alpha=lam, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y)
    assert lasso_objective(X, y, ours, lam) == pytest.approx(
        lasso_objective(X, y, sk.coef_, lam), abs=1e-9
    )
    assert_enet_kkt(X, y, ours, lam, 1.0)


def test_lasso_path_matches_sklearn_and_uses_its_grid() -> None:
    for shape in ("tall", "wide"):
        X, y = problem(shape, seed=4)
        lams, coefs = lasso_path(X, y, n_lams=30)
        assert lams[0] == pytest.approx(lambda_max(X, y)) and lams[-1] == pytest.approx(
            1e-3 * lams[0]
        )
        np.testing.assert_array_equal(coefs[0], 0.0)
        _, sk_coefs, _ = sklm.lasso_path(X, y, alphas=lams, tol=1e-14, max_iter=1_000_000)
        np.testing.assert_allclose(coefs, sk_coefs.T, atol=1e-6)
    X, y = problem("tall", seed=5)
    lams, coefs = elastic_net_path(X, y, 0.5, n_lams=10)
    _, sk_coefs, _ = sklm.enet_path(X, y, l1_ratio=0.5, alphas=lams, tol=1e-14, max_iter=1_000_000)
    np.testing.assert_allclose(coefs, sk_coefs.T, atol=1e-6)


@pytest.mark.parametrize("shape", ["zero_columns", "duplicated", "correlated", "wide"])
def test_homotopy_and_cd_paths_agree_including_degenerate_designs(shape: str) -> None:
    X, y = problem(shape, seed=13)
    lams, hom = lasso_path(X, y, n_lams=40, method="homotopy")
    _, cd = lasso_path(X, y, lams=lams, method="cd", tol=1e-14, max_iter=100_000)
    for w_h, w_c, lam in zip(hom, cd, lams, strict=True):
        # duplicated columns make the optimum non-unique: compare objectives there
        assert lasso_objective(X, y, w_h, lam) == pytest.approx(
            lasso_objective(X, y, w_c, lam), abs=1e-10
        )
        assert_enet_kkt(X, y, w_h, lam, 1.0)
    with pytest.raises(ValueError, match="homotopy"):
        elastic_net_path(X, y, 0.5, method="homotopy")


def test_ista_and_fista_reach_the_lasso_optimum() -> None:
    X, y = problem("tall", seed=6)
    lam = 0.1 * lambda_max(X, y)
    ref = lasso_coordinate_descent(X, y, lam)
    np.testing.assert_allclose(lasso_fista(X, y, lam, max_iter=20_000, tol=1e-13), ref, atol=1e-6)
    np.testing.assert_allclose(lasso_ista(X, y, lam, max_iter=50_000, tol=1e-14), ref, atol=1e-6)


def test_duality_gap_is_a_certificate() -> None:
    X, y = problem("wide", seed=7)
    lam = 0.1 * lambda_max(X, y)
    w = lasso_coordinate_descent(X, y, lam)
    assert 0 <= elastic_net_duality_gap(X, y, w, lam, 1.0) < 1e-12
    assert elastic_net_duality_gap(X, y, np.zeros_like(w), lam, 1.0) > 1e-3
    w_bad = w + 0.01
    gap = elastic_net_duality_gap(X, y, w_bad, lam, 1.0)
    sub = lasso_objective(X, y, w_bad, lam) - lasso_objective(X, y, w, lam)
    assert gap >= sub - 1e-12  # the gap bounds the suboptimality


def test_lam_above_lambda_max_gives_zero_and_trivial_inputs() -> None:
    X, y = problem("tall")
    np.testing.assert_array_equal(lasso_coordinate_descent(X, y, 1.01 * lambda_max(X, y)), 0.0)
    np.testing.assert_array_equal(lasso_coordinate_descent(X, np.zeros(len(y)), 0.1), 0.0)
    np.testing.assert_array_equal(lasso_coordinate_descent(np.zeros((5, 3)), np.ones(5), 0.1), 0)
    assert elastic_net_coordinate_descent(X, y, 0.0, 0.5).shape == (X.shape[1],)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda X, y: lasso_coordinate_descent(X, y, -1.0), "lam"),
        (lambda X, y: lasso_coordinate_descent(X, y[:-1], 0.1), "y"),
        (lambda X, y: lasso_coordinate_descent(X[:, 0], y, 0.1), "X"),
        (lambda X, y: lasso_coordinate_descent(X, y, 0.1, max_iter=0), "max_iter"),
        (lambda X, y: lasso_coordinate_descent(X, y, 0.1, tol=-1.0), "tol"),
        (lambda X, y: elastic_net_coordinate_descent(X, y, 0.1, 1.2), "l1_ratio"),
        (lambda X, y: ridge_closed_form(X, y, -0.5), "lam"),
        (lambda X, y: ridge_closed_form(np.where(X > 1, np.nan, X), y, 0.5), "X"),
        (lambda X, y: logistic_regression(X, y, 0.1), "binary"),
        (lambda X, y: logistic_regression(X, np.ones(len(y)), 0.1), "both classes"),
        (lambda X, y: logistic_regression(X, (y > 0) * 1.0, 0.1, "l3"), "penalty"),  # type: ignore[arg-type]
    ],
)
def test_invalid_input(call, fragment: str) -> None:  # type: ignore[no-untyped-def]
    X, y = problem("tall")
    with pytest.raises(ValueError, match=fragment):
        call(X, y)


def test_non_convergence_warns() -> None:
    from solvers import ConvergenceWarning

    X, y = problem("wide", seed=8)
    with pytest.warns(ConvergenceWarning):
        res = elastic_net_fit(X, y, 1e-4 * lambda_max(X, y), 1.0, max_iter=2, tol=0.0)
    assert not res.converged


# ----------------------------------------------------------------------------- ridge


@pytest.mark.parametrize("shape", [*SHAPES, "duplicated"])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_ridge_matches_sklearn(shape: str, fit_intercept: bool) -> None:
    X, y = problem(shape, seed=9)
    for lam in (0.01, 1.0, 30.0):
        sk = sklm.Ridge(alpha=lam, fit_intercept=fit_intercept, solver="svd").fit(X, y)
        for method in ("auto", "cholesky", "solve", "svd"):
            w, b0 = ridge_fit(X, y, lam, fit_intercept=fit_intercept, method=method)  # type: ignore[arg-type]
            np.testing.assert_allclose(w, sk.coef_, atol=1e-8, rtol=1e-7)
            assert b0 == pytest.approx(float(sk.intercept_), abs=1e-8)
        if not fit_intercept:
            np.testing.assert_allclose(ridge_closed_form(X, y, lam), sk.coef_, atol=1e-8)


def test_ridge_gradient_descent_and_min_norm_least_squares() -> None:
    X, y = problem("tall", seed=10)
    np.testing.assert_allclose(
        ridge_gradient_descent(X, y, 2.0, max_iter=20_000, tol=1e-14),
        ridge_closed_form(X, y, 2.0),
        atol=1e-8,
    )
    Xw, yw = problem("wide", seed=10)
    np.testing.assert_allclose(
        ridge_fit(Xw, yw, 0.0, method="svd")[0], np.linalg.pinv(Xw) @ yw, atol=1e-8
    )


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.001, 10.0), st.floats(1.01, 10.0))
def test_ridge_shrinkage_is_monotone_in_lam(seed: int, lam: float, factor: float) -> None:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((20, 6))
    y = rng.standard_normal(20)
    w1 = ridge_closed_form(X, y, lam)
    w2 = ridge_closed_form(X, y, lam * factor)
    assert np.linalg.norm(w2) <= np.linalg.norm(w1) + 1e-12
    # and w1 is optimal: no random step lowers the objective
    for d in rng.standard_normal((3, 6)) * 1e-3:
        assert ridge_objective(X, y, w1, lam) <= ridge_objective(X, y, w1 + d, lam) + 1e-12


@settings(max_examples=20, deadline=None)
@given(
    st.integers(0, 10_000),
    st.sampled_from([(25, 8), (10, 30)]),
    st.floats(0.01, 0.9),
    st.sampled_from([1.0, 0.5]),
)
def test_lasso_kkt_conditions_hold(
    seed: int, shape: tuple[int, int], frac: float, r: float
) -> None:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal(shape)
    y = X[:, :3] @ np.array([1.0, -2.0, 0.5]) + rng.standard_normal(shape[0])
    lam = frac * lambda_max(X, y, r)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # it must converge
        w = elastic_net_coordinate_descent(X, y, lam, r)
    assert_enet_kkt(X, y, w, lam, r)
    assert elastic_net_objective(X, y, w, lam, r) <= elastic_net_objective(X, y, w * 0.999, lam, r)


# ----------------------------------------------------------------------------- logistic


def logistic_problem(kind: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, p = (30, 40) if kind == "wide" else (80, 6)
    X = rng.standard_normal((n, p))
    if kind == "correlated":
        X = rng.standard_normal((n, 1)) + 0.2 * X
    if kind == "zero_columns":
        X[:, 2] = 0.0
    logits = X[:, :3] @ np.array([1.5, -1.0, 0.8]) + 0.3
    return X, (rng.random(n) < 1 / (1 + np.exp(-logits))).astype(float)


@pytest.mark.parametrize("kind", ["tall", "wide", "correlated", "zero_columns"])
@pytest.mark.parametrize(("penalty", "r"), [("l2", 0.0), ("l1", 1.0), ("elasticnet", 0.5)])
def test_logistic_matches_sklearn(kind: str, penalty: str, r: float) -> None:
    X, y = logistic_problem(kind, seed=11)
    n = X.shape[0]
    lam = 0.05
    fit = logistic_regression(X, y, lam, penalty, r)  # type: ignore[arg-type]
    assert fit.converged
    solver = "lbfgs" if r == 0.0 else "saga"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = sklm.LogisticRegression(
            C=1.0 / (n * lam), l1_ratio=r, solver=solver, tol=1e-12, max_iter=200_000
        ).fit(X, y)
    f_ours = logistic_objective(X, y, fit.coef, fit.intercept, lam, penalty, r)  # type: ignore[arg-type]
    f_sk = logistic_objective(X, y, sk.coef_[0], float(sk.intercept_[0]), lam, penalty, r)  # type: ignore[arg-type]
    assert f_ours <= f_sk + 1e-12  # ours is at least as optimal as the oracle …
    np.testing.assert_allclose(fit.coef, sk.coef_[0], atol=1e-6)  # … and the same point
    assert fit.intercept == pytest.approx(float(sk.intercept_[0]), abs=1e-6)


def test_logistic_without_intercept_l1_matches_liblinear() -> None:
    X, y = logistic_problem("tall", seed=12)
    lam = 0.02
    fit = logistic_regression(X, y, lam, "l1", fit_intercept=False)
    sk = sklm.LogisticRegression(
        C=1.0 / (X.shape[0] * lam),
        l1_ratio=1.0,
        solver="liblinear",
        fit_intercept=False,
        tol=1e-12,
        max_iter=100_000,
    ).fit(X, y)
    np.testing.assert_allclose(fit.coef, sk.coef_[0], atol=1e-6)
    assert fit.intercept == 0.0


def assert_logistic_kkt(
    X: np.ndarray, y: np.ndarray, fit: object, lam: float, r: float, fit_intercept: bool
) -> None:
    """The optimality conditions, computed here from scratch (no solver code involved)."""
    w, b0 = fit.coef, fit.intercept  # type: ignore[attr-defined]
    n = X.shape[0]
    s = 2 * y - 1
    sig = 1.0 / (1.0 + np.exp(s * (X @ w + b0)))  # σ(−margin)
    grad = -(X.T @ (s * sig)) / n + lam * (1 - r) * w
    a = lam * r
    col = np.abs(X).mean(axis=0) + a + lam * (1 - r) * np.abs(w)  # each condition's scale
    nz = w != 0
    assert np.all(np.abs(grad[nz] + a * np.sign(w[nz])) <= 1e-9 * col[nz])
    assert np.all(np.abs(grad[~nz]) <= a + 1e-9 * col[~nz])
    if fit_intercept:
        assert abs(float((s * sig).mean())) <= 1e-9


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(5, 40),
    st.integers(1, 11),
    st.sampled_from([0.1, 1.0, 10.0]),
    st.floats(-3.0, 0.0),
    st.sampled_from(["l2", "l1", "elasticnet"]),
)
def test_logistic_small_random_fits_converge_and_match_sklearn(
    seed: int, n: int, p: int, scale: float, log_lam: float, penalty: str
) -> None:
    """Many small fits (the issue found 16 of 800 running to max_iter near the optimum).

    Oracles: l2 with an intercept against scikit-learn's newton-cholesky, l1 without one
    against liblinear (both exact at tol=1e-14); Elastic Net against saga, whose answers are
    loose, so there ours must be at least as optimal and satisfy KKT itself.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * scale
    y = (rng.random(n) < 0.5).astype(float)
    y[0], y[1] = 0.0, 1.0  # both classes
    lam = float(10.0**log_lam)
    r = {"l2": 0.0, "l1": 1.0, "elasticnet": 0.5}[penalty]
    fit_intercept = penalty != "l1"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ConvergenceWarning
        fit = logistic_regression(X, y, lam, penalty, r, fit_intercept=fit_intercept)  # type: ignore[arg-type]
    assert fit.converged
    assert_logistic_kkt(X, y, fit, lam, r, fit_intercept)
    solver = {"l2": "newton-cholesky", "l1": "liblinear", "elasticnet": "saga"}[penalty]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = sklm.LogisticRegression(
            C=1.0 / (n * lam),
            l1_ratio=r,
            solver=solver,
            fit_intercept=fit_intercept,
            tol=1e-14,
            max_iter=200_000,
        ).fit(X, y)
    sk_b0 = float(sk.intercept_[0]) if fit_intercept else 0.0
    f_ours = logistic_objective(X, y, fit.coef, fit.intercept, lam, penalty, r)  # type: ignore[arg-type]
    f_sk = logistic_objective(X, y, sk.coef_[0], sk_b0, lam, penalty, r)  # type: ignore[arg-type]
    assert f_ours <= f_sk + 1e-12
    if penalty != "elasticnet":
        np.testing.assert_allclose(fit.coef, sk.coef_[0], atol=1e-6)
        assert fit.intercept == pytest.approx(sk_b0, abs=1e-6)


def test_logistic_tol_zero_still_stops_at_an_exact_optimum() -> None:
    X, y = logistic_problem("tall", seed=11)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = logistic_regression(X, y, 0.05, "l2", tol=0.0)
    assert fit.converged and fit.n_iter < 100
    assert_logistic_kkt(X, y, fit, 0.05, 0.0, True)


# ----------------------------------------------------------------------------- extreme data


@pytest.mark.parametrize(
    "call",
    [
        lambda X, y: elastic_net_fit(X * 1e200, y, 0.1, 0.5, fit_intercept=True),
        lambda X, y: elastic_net_fit(X, y * 1e300, 0.1, 0.5, fit_intercept=True),
        lambda X, y: lasso_coordinate_descent(X * 1e154, y, 0.1),
        lambda X, y: lasso_path(X * 1e200, y, n_lams=5),
        lambda X, y: lasso_fista(X * 1e200, y, 0.1),
        lambda X, y: ridge_closed_form(X * 1e200, y, 1.0),
        lambda X, y: ridge_fit(X, y * 1e200, 1.0, fit_intercept=True),
        lambda X, y: ridge_gradient_descent(X * 1e200, y, 1.0),
        lambda X, y: logistic_regression(np.array([[0.0], [1e100]]), np.array([0.0, 1.0]), 0.1),
        lambda X, y: logistic_regression(X * 1e200, (y > y.mean()) * 1.0, 0.1, "l1"),
    ],
)
def test_finite_data_too_large_for_the_internal_sums_is_refused(call) -> None:  # type: ignore[no-untyped-def]
    """Finite, but its squares overflow: a clear ValueError, never NaN, zeros or 'converged'."""
    X, y = problem("tall")
    with pytest.raises(ValueError, match=r"(?i)magnitude.*rescale"):
        call(X, y)


def test_large_but_representable_data_still_fits() -> None:
    X, y = problem("tall", seed=14)
    lam = 0.05 * lambda_max(X, y)
    ref = elastic_net_fit(X, y, lam, 0.5, fit_intercept=True, tol=1e-12)
    big = elastic_net_fit(X * 1e40, y * 1e40, lam, 0.5, fit_intercept=True, tol=1e-12)
    # X and y scaled by c: the data term scales by c², so lam must too for the same w.
    big2 = elastic_net_fit(X * 1e20, y * 1e20, lam * 1e40, 0.5, fit_intercept=True, tol=1e-12)
    assert big.converged and np.isfinite(big.intercept)
    np.testing.assert_allclose(big2.coef, ref.coef, rtol=1e-8, atol=1e-10)
    assert big2.intercept == pytest.approx(ref.intercept * 1e20, rel=1e-8)
    w_big, b_big = ridge_fit(X * 1e40, y * 1e40, 1e80, fit_intercept=True)
    w_ref, b_ref = ridge_fit(X, y, 1.0, fit_intercept=True)
    np.testing.assert_allclose(w_big, w_ref, rtol=1e-9)
    assert b_big == pytest.approx(b_ref * 1e40, rel=1e-9)


@pytest.mark.parametrize(
    "call",
    [
        lambda X, y: lasso_coordinate_descent(X, y, 0.1),
        lambda X, y: elastic_net_fit(X, y, 0.1, 0.5),
        lambda X, y: ridge_closed_form(X, y, 1.0),
        lambda X, y: logistic_regression(X, (y > y.mean()) * 1.0, 0.1),
        lambda X, y: lasso_objective(X, y, np.zeros(X.shape[1]), 0.1),
    ],
)
@pytest.mark.parametrize("kind", ["csr_matrix", "csc_array"])
def test_sparse_input_gets_a_clear_message(call, kind: str) -> None:  # type: ignore[no-untyped-def]
    sparse = pytest.importorskip("scipy.sparse")
    X, y = problem("tall")
    with pytest.raises(ValueError, match=r"sparse matrices are not supported; use X\.toarray\(\)"):
        call(getattr(sparse, kind)(X), y)


def test_warm_start_is_a_starting_point_not_a_resumed_run() -> None:
    """docs/solvers.md: w0 is the only state carried over; n_iter counts the new call only."""
    from solvers import ConvergenceWarning

    X, y = problem("wide", seed=15)
    lam = 0.02 * lambda_max(X, y)
    cold = elastic_net_fit(X, y, lam, 0.9, tol=1e-12)
    with pytest.warns(ConvergenceWarning):
        stopped = elastic_net_fit(X, y, lam, 0.9, max_iter=1, tol=0.0)
    assert not stopped.converged
    resumed = elastic_net_fit(X, y, lam, 0.9, w0=stopped.coef, tol=1e-12)
    assert resumed.converged
    np.testing.assert_allclose(resumed.coef, cold.coef, atol=1e-9)
    # From the optimum itself: one sign-fixed solve confirms it, nothing else runs.
    again = elastic_net_fit(X, y, lam, 0.9, w0=cold.coef, tol=1e-12)
    assert again.converged and again.n_iter == 1
    np.testing.assert_allclose(again.coef, cold.coef, atol=1e-12)
    with pytest.raises(ValueError, match="w must have one entry per column"):
        elastic_net_fit(X, y, lam, 0.9, w0=np.zeros(3))


def test_auto_precompute_forms_the_gram_only_for_tall_narrow_designs() -> None:
    from solvers._coordinate_descent import GRAM_MAX_P, Problem

    rng = np.random.default_rng(16)
    y = rng.standard_normal(600)
    assert Problem(rng.standard_normal((600, 100)), y).use_gram
    assert not Problem(rng.standard_normal((600, GRAM_MAX_P + 1)), y).use_gram
    assert not Problem(rng.standard_normal((600, 700)), y).use_gram
    X = rng.standard_normal((600, GRAM_MAX_P + 1))
    lam = 0.05 * lambda_max(X, y)
    np.testing.assert_allclose(
        elastic_net_fit(X, y, lam, 1.0, tol=1e-12).coef,
        elastic_net_fit(X, y, lam, 1.0, precompute="gram", tol=1e-12).coef,
        atol=1e-10,
    )
