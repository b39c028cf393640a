"""Dropout and its variants. `p` is always the DROP probability, 0 ≤ p < 1.

Inverted dropout (what PyTorch and Keras do) scales the kept units by 1/(1 − p) while
training, so E[out] = x and inference is the identity. Classic dropout (Srivastava et al.
2014) keeps training unscaled and multiplies by the keep probability (1 − p) at test time.
Mixing the two — scaling in training AND at inference — is the common bug.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from solvers._validation import FloatArray, as_array, as_int, as_rng, as_scalar

__all__ = [
    "classic_dropout_forward",
    "dropconnect_forward",
    "dropout_backward",
    "dropout_forward",
    "dropout_mask",
    "mc_dropout_predict",
    "spatial_dropout_forward",
    "variational_dropout_forward",
]


def _p(p: Any) -> float:
    return as_scalar(p, "p", low=0.0, high=1.0, high_open=True)


def _training(training: Any) -> bool:
    if not isinstance(training, bool | np.bool_):
        raise ValueError(f"training must be True or False, got {training!r}")
    return bool(training)


def dropout_mask(
    shape: tuple[int, ...], p: float, rng: np.random.Generator | None = None
) -> FloatArray:
    """An inverted-dropout mask: each entry 0 with probability p, else 1/(1 − p)."""
    p_ = _p(p)
    gen = as_rng(rng)
    if p_ == 0.0:
        return np.ones(shape)
    keep = gen.random(shape) >= p_  # P(keep) = 1 − p
    return keep / (1.0 - p_)


def dropout_forward(
    x: Any, p: float, training: bool, rng: np.random.Generator | None = None
) -> tuple[FloatArray, FloatArray]:
    """Inverted dropout: out = x·mask, mask ∈ {0, 1/(1 − p)} i.i.d. with P(0) = p, E[out] = x.

    Eval (training=False): out = x and mask = ones. Returns (out, mask); the mask is what
    `dropout_backward` needs.
    """
    xa = as_array(x, "x")
    p_ = _p(p)
    if not _training(training):
        return xa.copy(), np.ones_like(xa)
    mask = dropout_mask(xa.shape, p_, rng)
    return xa * mask, mask


def dropout_backward(dout: Any, mask: Any) -> FloatArray:
    """∂L/∂x = dout·mask: dropped units pass no gradient, kept ones are scaled by 1/(1 − p)."""
    d = as_array(dout, "dout")
    m = as_array(mask, "mask")
    if d.shape != m.shape:
        raise ValueError(f"dout and mask must have the same shape, got {d.shape} and {m.shape}")
    return d * m


def classic_dropout_forward(
    x: Any, p: float, training: bool, rng: np.random.Generator | None = None
) -> tuple[FloatArray, FloatArray]:
    """Non-inverted dropout: training out = x·m, m ∈ {0, 1}; eval out = (1 − p)·x.

    Same expectation as inverted dropout, but the scaling sits at test time. Returns
    (out, mask) with mask = (1 − p)·ones in eval mode.
    """
    xa = as_array(x, "x")
    p_ = _p(p)
    if not _training(training):
        mask = np.full_like(xa, 1.0 - p_)
        return xa * mask, mask
    mask = (as_rng(rng).random(xa.shape) >= p_).astype(np.float64)
    return xa * mask, mask


def dropconnect_forward(
    x: Any, W: Any, p: float, training: bool, rng: np.random.Generator | None = None
) -> tuple[FloatArray, FloatArray]:
    """DropConnect (Wan et al. 2013) on a linear layer: out = x @ (W·M), M ∈ {0, 1/(1 − p)}.

    Drops individual weights instead of units, with inverted scaling so eval is x @ W.
    x is (batch, fan_in), W is (fan_in, fan_out); one mask per call shared across the batch.
    Returns (out, M).
    """
    xa = as_array(x, "x", ndim=(1, 2))
    Wa = as_array(W, "W", ndim=2)
    if xa.shape[-1] != Wa.shape[0]:
        raise ValueError(f"W must have {xa.shape[-1]} rows (x's last axis), got {Wa.shape[0]}")
    p_ = _p(p)
    if not _training(training):
        return xa @ Wa, np.ones_like(Wa)
    M = dropout_mask(Wa.shape, p_, rng)
    return xa @ (Wa * M), M


def spatial_dropout_forward(
    x: Any, p: float, training: bool, rng: np.random.Generator | None = None
) -> tuple[FloatArray, FloatArray]:
    """Spatial (channel) dropout, as torch.nn.Dropout2d: drop whole feature maps.

    x is (N, C, ...spatial); one Bernoulli draw per (sample, channel), broadcast over the
    spatial axes, inverted scaling. Returns (out, mask) with mask shape (N, C, 1, ..., 1).
    """
    xa = as_array(x, "x")
    if xa.ndim < 3:
        raise ValueError(f"x must be (N, C, spatial...) with at least 3 axes, got {xa.shape}")
    p_ = _p(p)
    mshape = xa.shape[:2] + (1,) * (xa.ndim - 2)
    if not _training(training):
        return xa.copy(), np.ones(mshape)
    mask = dropout_mask(mshape, p_, rng)
    return xa * mask, mask


def variational_dropout_forward(
    x: Any, p: float, training: bool, rng: np.random.Generator | None = None
) -> tuple[FloatArray, FloatArray]:
    """Variational (locked) dropout for sequences (Gal & Ghahramani 2016).

    x is (batch, time, features); ONE mask per sequence and feature is reused at every time
    step, instead of a fresh mask per step. Returns (out, mask) with mask shape (batch, 1, F).
    """
    xa = as_array(x, "x", ndim=3)
    p_ = _p(p)
    mshape = (xa.shape[0], 1, xa.shape[2])
    if not _training(training):
        return xa.copy(), np.ones(mshape)
    mask = dropout_mask(mshape, p_, rng)
    return xa * mask, mask


def mc_dropout_predict(
    forward: Callable[[FloatArray, np.random.Generator], Any],
    x: Any,
    n_samples: int = 100,
    rng: np.random.Generator | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Monte Carlo dropout (Gal & Ghahramani 2016): keep dropout ON at inference.

    `forward(x, rng)` is a stochastic forward pass (dropout in training mode). Returns the
    predictive mean and the (population) variance over n_samples passes, elementwise.
    """
    xa = as_array(x, "x")
    n = as_int(n_samples, "n_samples", low=1)
    gen = as_rng(rng)
    outs = np.stack([np.asarray(forward(xa, gen), dtype=np.float64) for _ in range(n)])
    return outs.mean(axis=0), outs.var(axis=0)
