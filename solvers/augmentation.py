"""Data-side regularisers: mixup and Gaussian noise injection."""

from __future__ import annotations

from typing import Any

import numpy as np

from solvers._validation import FloatArray, as_array, as_rng, as_scalar

__all__ = ["gaussian_noise", "mixup"]


def mixup(
    x: Any,
    y: Any,
    alpha: float,
    rng: np.random.Generator | None = None,
    lam: float | None = None,
) -> tuple[FloatArray, FloatArray, float, np.ndarray]:
    """mixup (Zhang et al. 2018): x̃ = λ·x + (1 − λ)·x[π], ỹ = λ·y + (1 − λ)·y[π].

    λ ~ Beta(alpha, alpha) (one per batch) unless given; π is a random permutation of the
    batch. y holds one-hot or soft targets (N, C) (or any per-sample array). Returns
    (x̃, ỹ, λ, π).
    """
    xa = as_array(x, "x")
    ya = as_array(y, "y")
    if xa.ndim == 0 or ya.ndim == 0 or xa.shape[0] != ya.shape[0]:
        raise ValueError(
            f"x and y must have the same first (batch) axis, got {xa.shape} and {ya.shape}"
        )
    a = as_scalar(alpha, "alpha", low=0.0, low_open=True)
    gen = as_rng(rng)
    lam_ = float(gen.beta(a, a)) if lam is None else as_scalar(lam, "lam", low=0.0, high=1.0)
    perm = gen.permutation(xa.shape[0])
    return lam_ * xa + (1 - lam_) * xa[perm], lam_ * ya + (1 - lam_) * ya[perm], lam_, perm


def gaussian_noise(
    x: Any, sigma: float, training: bool, rng: np.random.Generator | None = None
) -> FloatArray:
    """x + N(0, sigma²) noise while training, x unchanged in eval (Keras GaussianNoise).

    For linear least squares, input noise of variance σ² is in expectation ridge with
    lam = n·σ² (Bishop 1995).
    """
    xa = as_array(x, "x")
    s = as_scalar(sigma, "sigma", low=0.0)
    if not isinstance(training, bool | np.bool_):
        raise ValueError(f"training must be True or False, got {training!r}")
    if not training or s == 0.0:
        return xa.copy()
    return xa + as_rng(rng).normal(0.0, s, size=xa.shape)
