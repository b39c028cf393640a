"""Early stopping (against a brute-force scan), optimiser steps, batch norm, augmentation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers import early_stopping, label_smoothing_cross_entropy
from solvers.augmentation import gaussian_noise, mixup
from solvers.early_stopping import EarlyStopping, train_with_early_stopping
from solvers.losses import smoothed_targets
from solvers.normalization import batch_norm_forward
from solvers.optimizers import AdamState, adam_step, adamw_step, sgd_step


def brute_force(losses: list[float], patience: int, min_delta: float) -> tuple[int, int]:
    """The definition read literally: for each epoch, find the last improvement before it."""
    n = len(losses)
    improving = []
    best = float("inf")
    for i, v in enumerate(losses):
        if i == 0 or v < best - min_delta:
            improving.append(i)
            best = v
        else:
            improving.append(improving[-1])
    for e in range(n):
        if e - improving[e] >= patience:
            return improving[e], e
    return improving[-1], n - 1


def test_early_stopping_examples() -> None:
    assert early_stopping([1.0, 0.8, 0.81, 0.79, 0.85, 0.9], 2) == (3, 5)
    assert early_stopping([1.0, 0.9, 0.8], 1) == (2, 2)
    assert early_stopping([1.0], 3) == (0, 0)
    assert early_stopping([1.0, 1.0, 1.0], 2) == (0, 2)
    # min_delta: 0.995 is not an improvement over 1.0 by more than 0.01
    assert early_stopping([1.0, 0.995, 0.994, 0.5], 2, min_delta=0.01) == (0, 2)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.floats(0, 10, allow_nan=False), min_size=1, max_size=30),
    st.integers(1, 6),
    st.sampled_from([0.0, 0.01, 0.5]),
)
def test_early_stopping_matches_brute_force(
    losses: list[float], patience: int, min_delta: float
) -> None:
    assert early_stopping(losses, patience, min_delta) == brute_force(losses, patience, min_delta)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (([], 2), "val_losses"),
        (([1.0, float("nan")], 2), "val_losses"),
        (([1.0], 0), "patience"),
        (([1.0], 1.5), "patience"),
        (([1.0], 2, -0.1), "min_delta"),
        (([[1.0]], 2), "val_losses"),
    ],
)
def test_early_stopping_domain(args: tuple, fragment: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError, match=fragment):
        early_stopping(*args)


def test_monitor_restores_best_state() -> None:
    m = EarlyStopping(patience=2)
    states = [np.array([float(i)]) for i in range(5)]
    stops = [
        m.step(loss, s)
        for loss, s in zip([3.0, 2.0, 2.5, 2.6, 1.0], states, strict=True)
        if not m.stopped
    ]
    assert stops == [False, False, False, True]
    assert m.best_epoch == 1 and m.epoch == 3
    np.testing.assert_array_equal(m.best_state, [1.0])


def test_training_loop_stops_when_validation_turns_up() -> None:
    rng = np.random.default_rng(0)
    n, p = 30, 25  # nearly as many features as samples: GD eventually fits noise
    w_true = np.zeros(p)
    w_true[:3] = [2.0, -1.0, 0.5]
    X = rng.normal(size=(n, p))
    y = X @ w_true + rng.normal(0, 1.0, size=n)
    Xv = rng.normal(size=(200, p))
    yv = Xv @ w_true + rng.normal(0, 1.0, size=200)
    hist = train_with_early_stopping(X, y, Xv, yv, lr=0.01, max_epochs=3000, patience=20)
    assert hist.stop_epoch < 2999
    assert hist.train_losses[-1] < hist.train_losses[hist.best_epoch]
    assert min(hist.val_losses) == hist.val_losses[hist.best_epoch]
    assert early_stopping(hist.val_losses, 20) == (hist.best_epoch, hist.stop_epoch)


def test_label_smoothing_reference_values() -> None:
    z = np.array([[2.0, 3.0, 2.0]])
    logp = z - np.log(np.exp(z).sum())
    q = np.array([0.1, 0.1, 0.8])
    assert label_smoothing_cross_entropy(z, [2], 0.3) == pytest.approx(-(q * logp).sum())
    assert label_smoothing_cross_entropy(z, [2], 0.0) == pytest.approx(-logp[0, 2])
    np.testing.assert_allclose(smoothed_targets([1], 3, 0.1), [[0.1 / 3, 0.9 + 0.1 / 3, 0.1 / 3]])
    # stable for huge logits
    big = label_smoothing_cross_entropy([[1e4, 0.0, -1e4]], [0], 0.1)
    assert big == pytest.approx(0.1 * (0 + 1e4 + 2e4) / 3)
    assert type(big) is float


@pytest.mark.parametrize(
    ("logits", "labels", "eps", "fragment"),
    [
        ([[1.0, 2.0]], [2], 0.1, "labels"),
        ([[1.0, 2.0]], [-1], 0.1, "labels"),
        ([[1.0, 2.0]], [0.5], 0.1, "labels"),
        ([[1.0, 2.0]], [0, 1], 0.1, "labels"),
        ([[1.0, 2.0]], [0], 1.0, "eps"),
        ([[1.0, np.nan]], [0], 0.1, "logits"),
        (np.ones((2, 2, 2)), [0, 1], 0.1, "logits"),
    ],
)
def test_label_smoothing_domain(logits, labels, eps, fragment) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=fragment):
        label_smoothing_cross_entropy(logits, labels, eps)


def test_sgd_weight_decay_equals_l2_gradient() -> None:
    w = np.array([1.0, -2.0])
    g = np.array([0.5, 0.5])
    new, _ = sgd_step(w, g, lr=0.1, weight_decay=0.2)
    np.testing.assert_allclose(new, (1 - 0.1 * 0.2) * w - 0.1 * g)
    v = np.zeros(2)
    for _ in range(3):
        w, v = sgd_step(w, g, lr=0.1, momentum=0.9, velocity=v)
    assert np.all(np.isfinite(w))


def test_adam_l2_and_adamw_differ_and_match_the_formulas() -> None:
    w = np.array([2.0, 2.0])
    g = np.array([1e-3, 10.0])
    a, st_a = adam_step(w, g, None, lr=0.1, weight_decay=0.1)
    b, st_b = adamw_step(w, g, None, lr=0.1, weight_decay=0.1)
    # first step: Adam moves by ≈ lr·sign(g + wd·w) whatever the decay's size …
    np.testing.assert_allclose(a, w - 0.1, rtol=1e-6)
    # … AdamW shrinks by lr·wd·w on top of the sign step
    np.testing.assert_allclose(b, w * (1 - 0.01) - 0.1, rtol=1e-6)
    assert st_a.t == st_b.t == 1
    a2, st2 = adam_step(a, g, st_a, lr=0.1)
    assert st2.t == 2 and np.all(np.isfinite(a2))
    assert isinstance(AdamState.zeros((2,)), AdamState)


def test_batch_norm_train_vs_eval() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 2.0, size=(16, 4))
    g, b = np.ones(4), np.zeros(4)
    y, rm, rv = batch_norm_forward(x, g, b, np.zeros(4), np.ones(4), True)
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=0), 1, rtol=1e-3)
    np.testing.assert_allclose(rm, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(rv, 0.9 + 0.1 * x.var(axis=0, ddof=1))
    y_eval, rm2, _ = batch_norm_forward(x[:1], g, b, rm, rv, False)
    np.testing.assert_allclose(y_eval, (x[:1] - rm) / np.sqrt(rv + 1e-5))
    np.testing.assert_array_equal(rm2, rm)
    with pytest.raises(ValueError, match="at least 2 rows"):
        batch_norm_forward(x[:1], g, b, rm, rv, True)


def test_mixup_and_gaussian_noise() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3))
    y = np.eye(4)[rng.integers(0, 4, size=8)]
    xm, ym, lam, perm = mixup(x, y, 0.4, rng)
    assert 0 <= lam <= 1
    np.testing.assert_allclose(xm, lam * x + (1 - lam) * x[perm])
    np.testing.assert_allclose(ym.sum(axis=1), 1.0)
    np.testing.assert_array_equal(gaussian_noise(x, 0.5, False, rng), x)
    noisy = gaussian_noise(np.zeros(20_000), 0.5, True, rng)
    assert abs(noisy.std() - 0.5) < 0.02
    with pytest.raises(ValueError, match="alpha"):
        mixup(x, y, 0.0, rng)
