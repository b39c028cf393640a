"""Batch normalisation in training vs evaluation mode, as torch.nn.BatchNorm1d.

Training: normalise with the batch mean and the BIASED batch variance, and update the
running statistics with momentum (running ← (1 − m)·running + m·batch, the running variance
from the UNBIASED batch variance). Eval: normalise with the running statistics, so the
output of one sample no longer depends on the rest of the batch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from solvers._validation import FloatArray, as_array, as_scalar

__all__ = ["batch_norm_forward"]


def batch_norm_forward(
    x: Any,
    gamma: Any,
    beta: Any,
    running_mean: Any,
    running_var: Any,
    training: bool,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """y = gamma·(x − μ)/√(σ² + eps) + beta over axis 0 of x (N, F).

    Returns (y, new_running_mean, new_running_var); in eval mode the running stats are
    returned unchanged. Training needs N ≥ 2 (the unbiased variance divides by N − 1).
    """
    xa = as_array(x, "x", ndim=2)
    F = xa.shape[1]
    vecs = []
    for name, v in (
        ("gamma", gamma),
        ("beta", beta),
        ("running_mean", running_mean),
        ("running_var", running_var),
    ):
        arr = as_array(v, name, ndim=1)
        if arr.shape[0] != F:
            raise ValueError(f"{name} must have {F} entries (one per feature), got {arr.shape[0]}")
        vecs.append(arr)
    g, b, rm, rv = vecs
    if (rv < 0).any():
        raise ValueError("running_var must be >= 0")
    m = as_scalar(momentum, "momentum", low=0.0, high=1.0)
    e = as_scalar(eps, "eps", low=0.0, low_open=True)
    if not isinstance(training, bool | np.bool_):
        raise ValueError(f"training must be True or False, got {training!r}")
    if not training:
        return g * (xa - rm) / np.sqrt(rv + e) + b, rm.copy(), rv.copy()
    N = xa.shape[0]
    if N < 2:
        raise ValueError(f"x must have at least 2 rows in training mode, got {N}")
    mu = xa.mean(axis=0)
    var = xa.var(axis=0)
    y = g * (xa - mu) / np.sqrt(var + e) + b
    new_rm = (1.0 - m) * rm + m * mu
    new_rv = (1.0 - m) * rv + m * var * (N / (N - 1))
    return y, new_rm, new_rv
