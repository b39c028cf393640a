"""The contract functions of PRODUCT.md: values, shapes, types and the ValueErrors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import solvers
from solvers import (
    elastic_net_penalty,
    l1_penalty,
    l1_subgradient,
    l2_gradient,
    l2_penalty,
    max_norm,
    soft_threshold,
)

W = [0.5, -1.2, 0.0, 2.0]
finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
vectors = arrays(np.float64, st.integers(1, 8), elements=finite)


def test_contract_names_are_exported() -> None:
    names = {
        "l1_penalty",
        "l1_subgradient",
        "l2_penalty",
        "l2_gradient",
        "elastic_net_penalty",
        "soft_threshold",
        "dropout_forward",
        "dropout_backward",
        "ridge_closed_form",
        "lasso_coordinate_descent",
        "elastic_net_coordinate_descent",
        "early_stopping",
        "label_smoothing_cross_entropy",
        "max_norm",
    }
    assert names <= set(solvers.__all__)


def test_penalty_values_match_the_worked_example() -> None:
    assert l1_penalty(W, 0.1) == pytest.approx(0.37)
    assert l2_penalty(W, 0.1) == pytest.approx(0.569)
    assert elastic_net_penalty(W, 0.1, 0.5) == pytest.approx(0.32725)
    assert type(l1_penalty(W, 0.1)) is float
    assert type(l2_penalty(W, 0.1)) is float
    assert type(elastic_net_penalty(W, 0.1, 0.5)) is float


def test_gradients() -> None:
    np.testing.assert_array_equal(l1_subgradient(W, 0.5), [0.5, -0.5, 0.0, 0.5])
    np.testing.assert_allclose(l2_gradient(W, 0.1), [0.1, -0.24, 0.0, 0.4])
    g = l1_subgradient(np.ones((2, 3)), 1.0)
    assert g.shape == (2, 3)


def test_elastic_net_endpoints() -> None:
    assert elastic_net_penalty(W, 0.3, 1.0) == pytest.approx(l1_penalty(W, 0.3))
    assert elastic_net_penalty(W, 0.3, 0.0) == pytest.approx(0.5 * l2_penalty(W, 0.3))


def test_soft_threshold_values() -> None:
    out = soft_threshold([1.8, 0.0, -1.7, 0.3, -0.5], 0.5)
    np.testing.assert_allclose(out, [1.3, 0.0, -1.2, 0.0, 0.0])
    np.testing.assert_allclose(soft_threshold([1.0, -3.0], [0.5, 1.0]), [0.5, -2.0])


@settings(max_examples=60, deadline=None)
@given(vectors, st.floats(0, 10))
def test_soft_threshold_is_the_l1_prox(x: np.ndarray, t: float) -> None:
    # z* minimises ½‖z − x‖² + t‖z‖₁  ⇔  x − z* ∈ t·∂‖z*‖₁
    z = soft_threshold(x, t)
    r = x - z
    nz = z != 0
    assert np.all(np.abs(r[nz] - t * np.sign(z[nz])) <= 1e-9 * (1 + np.abs(x[nz])))
    assert np.all(np.abs(r[~nz]) <= t + 1e-12)
    # and no random perturbation does better
    obj = lambda v: 0.5 * np.sum((v - x) ** 2) + t * np.sum(np.abs(v))  # noqa: E731
    rng = np.random.default_rng(0)
    for _ in range(5):
        assert obj(z) <= obj(z + rng.normal(0, 0.1, size=z.shape)) + 1e-9


@settings(max_examples=40, deadline=None)
@given(vectors, st.floats(0, 100), st.floats(0, 1))
def test_penalties_are_nonnegative_and_homogeneous_in_lam(
    w: np.ndarray, lam: float, r: float
) -> None:
    assert l1_penalty(w, lam) >= 0
    assert elastic_net_penalty(w, 2 * lam, r) == pytest.approx(
        2 * elastic_net_penalty(w, lam, r), rel=1e-12, abs=1e-300
    )


def test_max_norm_rescales_only_long_columns() -> None:
    W2 = np.array([[3.0, 0.1], [4.0, 0.1]])
    out = max_norm(W2, 1.0)
    np.testing.assert_allclose(out, [[0.6, 0.1], [0.8, 0.1]])
    np.testing.assert_allclose(np.linalg.norm(max_norm(W2 * 100, 2.0), axis=0), [2.0, 2.0])
    np.testing.assert_array_equal(max_norm(np.zeros((2, 2)), 1.0), np.zeros((2, 2)))


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=finite),
    st.floats(0.01, 100),
)
def test_max_norm_keras_semantics(W2: np.ndarray, c: float) -> None:
    out = max_norm(W2, c)
    norms = np.linalg.norm(W2, axis=0)
    assert np.all(np.linalg.norm(out, axis=0) <= c * (1 + 1e-12))
    keras = W2 * (np.clip(norms, 0, c) / (1e-7 + norms))  # keras.constraints.MaxNorm(axis=0)
    np.testing.assert_allclose(out, keras, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: l1_penalty(W, -0.1), "lam"),
        (lambda: l1_penalty([1.0, np.nan], 0.1), "w"),
        (lambda: l2_penalty(W, float("nan")), "lam"),
        (lambda: l2_gradient(["a"], 0.1), "w"),
        (lambda: elastic_net_penalty(W, 0.1, 1.5), "l1_ratio"),
        (lambda: elastic_net_penalty(W, 0.1, -0.1), "l1_ratio"),
        (lambda: soft_threshold(W, -1.0), "t"),
        (lambda: soft_threshold([1.0, 2.0], [1.0, 2.0, 3.0]), "t"),
        (lambda: max_norm(np.ones((2, 2)), 0.0), "c"),
        (lambda: max_norm(np.ones((2, 2)), np.inf), "c"),
        (lambda: l1_subgradient(W, True), "lam"),
    ],
)
def test_invalid_input_raises_value_error_naming_the_parameter(call, fragment: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=fragment):
        call()
