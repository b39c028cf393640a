"""Dropout variants: semantics, unbiasedness, mask rate, the ValueErrors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers import dropout_backward, dropout_forward
from solvers.dropout import (
    classic_dropout_forward,
    dropconnect_forward,
    mc_dropout_predict,
    spatial_dropout_forward,
    variational_dropout_forward,
)


def test_eval_mode_is_the_identity() -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    out, mask = dropout_forward(x, 0.5, False, np.random.default_rng(0))
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(mask, np.ones_like(x))
    out, _ = dropout_forward(x, 0.5, False, None)
    assert out is not x  # a copy, never an alias of the input


def test_p_zero_keeps_everything() -> None:
    x = np.arange(6.0).reshape(2, 3)
    out, mask = dropout_forward(x, 0.0, True, np.random.default_rng(1))
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(mask, 1.0)


def test_rng_none_and_reproducible_with_a_generator() -> None:
    x = np.ones(100)
    a = dropout_forward(x, 0.3, True, np.random.default_rng(5))
    b = dropout_forward(x, 0.3, True, np.random.default_rng(5))
    np.testing.assert_array_equal(a[0], b[0])
    _, mask = dropout_forward(x, 0.3, True, None)
    assert set(np.unique(mask)) <= {0.0, 1 / 0.7}


@settings(max_examples=30, deadline=None)
@given(st.floats(0.0, 0.9), st.integers(0, 2**32 - 1))
def test_mask_values_rate_and_unbiasedness(p: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(200, 50))
    out, mask = dropout_forward(x, p, True, rng)
    kept = mask != 0
    np.testing.assert_allclose(mask[kept], 1.0 / (1.0 - p))
    np.testing.assert_allclose(out, x * mask)
    n = mask.size
    drop_rate = 1.0 - kept.mean()
    assert abs(drop_rate - p) <= 5 * np.sqrt(p * (1 - p) / n) + 1e-12
    # E[out] = x: the mean of mask is 1 up to sampling noise
    sd = np.sqrt(p / (1 - p) / n)
    assert abs(mask.mean() - 1.0) <= 5 * sd + 1e-12


def test_backward_routes_gradient_through_the_mask() -> None:
    mask = np.array([0.0, 2.0, 2.0])
    np.testing.assert_array_equal(dropout_backward(np.array([1.0, 1.0, 3.0]), mask), [0, 2, 6])
    with pytest.raises(ValueError, match="same shape"):
        dropout_backward(np.ones(3), np.ones(2))


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, float("nan")])
def test_p_outside_domain(p: float) -> None:
    with pytest.raises(ValueError, match=r"p must be .*in"):
        dropout_forward(np.ones(3), p, True, None)


def test_training_must_be_a_bool_and_rng_a_generator() -> None:
    with pytest.raises(ValueError, match="training"):
        dropout_forward(np.ones(3), 0.5, "yes", None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rng"):
        dropout_forward(np.ones(3), 0.5, True, "seed")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="x"):
        dropout_forward(np.array([1.0, np.inf]), 0.5, True, None)


def test_classic_dropout_scales_at_test_time() -> None:
    x = np.ones(10_000)
    out, mask = classic_dropout_forward(x, 0.2, True, np.random.default_rng(0))
    assert set(np.unique(mask)) <= {0.0, 1.0}
    assert abs(out.mean() - 0.8) < 0.02
    out_eval, _ = classic_dropout_forward(x, 0.2, False, None)
    np.testing.assert_allclose(out_eval, 0.8)


def test_dropconnect_masks_weights_and_is_unbiased() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 6))
    W = rng.normal(size=(6, 3))
    out, M = dropconnect_forward(x, W, 0.5, True, rng)
    np.testing.assert_allclose(out, x @ (W * M))
    assert set(np.unique(M)) <= {0.0, 2.0}
    np.testing.assert_allclose(dropconnect_forward(x, W, 0.5, False, rng)[0], x @ W)
    mean = np.mean([dropconnect_forward(x, W, 0.5, True, rng)[0] for _ in range(4000)], axis=0)
    np.testing.assert_allclose(mean, x @ W, atol=0.25)


def test_spatial_dropout_drops_whole_channels() -> None:
    x = np.ones((8, 16, 5, 5))
    out, mask = spatial_dropout_forward(x, 0.5, True, np.random.default_rng(3))
    assert mask.shape == (8, 16, 1, 1)
    per_channel = out.reshape(8, 16, -1)
    assert np.all((per_channel == 0).all(axis=2) | (per_channel == 2).all(axis=2))


def test_variational_dropout_reuses_the_mask_over_time() -> None:
    x = np.ones((3, 7, 10))
    out, mask = variational_dropout_forward(x, 0.4, True, np.random.default_rng(2))
    assert mask.shape == (3, 1, 10)
    np.testing.assert_array_equal(out, np.broadcast_to(out[:, :1, :], out.shape))


def test_mc_dropout_mean_and_variance() -> None:
    p = 0.5
    x = np.full(20, 2.0)

    def forward(v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return dropout_forward(v, p, True, rng)[0]

    mean, var = mc_dropout_predict(forward, x, n_samples=4000, rng=np.random.default_rng(0))
    np.testing.assert_allclose(mean, 2.0, atol=0.15)
    np.testing.assert_allclose(var, 4.0 * p / (1 - p), rtol=0.1)  # a²·p/(1 − p)
