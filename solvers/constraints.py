"""Weight constraints: max-norm (Keras MaxNorm) and spectral normalisation (power iteration).

Constraints act on the weights after an update instead of adding a penalty to the loss.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from solvers._validation import FloatArray, as_array, as_int, as_rng, as_scalar

__all__ = ["max_norm", "spectral_norm", "spectral_norm_sigma"]


def max_norm(W: Any, c: float) -> FloatArray:
    """Rescale each column W[:, j] (a unit's incoming weights) to L2 norm ≤ c.

    W[:, j] ← W[:, j]·min(1, c/‖W[:, j]‖₂): columns already inside the ball are unchanged.
    Keras MaxNorm(max_value=c, axis=0) computes W·clip(‖·‖, 0, c)/(1e-7 + ‖·‖), which differs
    from this by at most a relative 1e-7/‖W[:, j]‖. A 1-D W is one column; for n-D W the
    norm is taken over axis 0.
    """
    Wa = as_array(W, "W")
    c_ = as_scalar(c, "c", low=0.0, low_open=True)
    if Wa.ndim == 0:
        raise ValueError("W must have at least one axis, got a scalar")
    norms = np.sqrt(np.square(Wa).sum(axis=0, keepdims=True))
    scale = np.where(norms > c_, c_ / np.where(norms > 0, norms, 1.0), 1.0)
    return Wa * scale


def _normalize(v: FloatArray, eps: float) -> FloatArray:
    return v / max(float(np.linalg.norm(v)), eps)


def spectral_norm(
    W: Any,
    u: Any = None,
    n_power_iterations: int = 1,
    eps: float = 1e-12,
    rng: np.random.Generator | None = None,
) -> tuple[FloatArray, FloatArray, float]:
    """W / σ̂ with σ̂ the largest singular value estimated by power iteration, as
    torch.nn.utils.spectral_norm (dim=0, training mode).

    W is reshaped to (W.shape[0], -1). Each iteration: v ← normalize(Wᵀu), u ← normalize(Wv);
    σ̂ = uᵀWv. `u` (length W.shape[0]) carries over between calls, so one iteration per
    training step suffices; None draws a random unit vector. Returns (W/σ̂, u, σ̂).
    """
    Wa = as_array(W, "W")
    if Wa.ndim < 1 or Wa.size == 0:
        raise ValueError(f"W must be a non-empty array with at least 1 axis, got {Wa.shape}")
    M = Wa.reshape(Wa.shape[0], -1)
    k = as_int(n_power_iterations, "n_power_iterations", low=1)
    eps_ = as_scalar(eps, "eps", low=0.0, low_open=True)
    if u is None:
        ua = _normalize(as_rng(rng).standard_normal(M.shape[0]), eps_)
    else:
        ua = as_array(u, "u", ndim=1)
        if ua.shape[0] != M.shape[0]:
            raise ValueError(f"u must have length {M.shape[0]} (W.shape[0]), got {ua.shape[0]}")
    for _ in range(k):
        v = _normalize(M.T @ ua, eps_)
        ua = _normalize(M @ v, eps_)
    sigma = float(ua @ (M @ v))
    if sigma == 0.0:
        raise ValueError("W has spectral norm 0 (all zeros); nothing to normalise")
    return Wa / sigma, ua, sigma


def spectral_norm_sigma(W: Any, n_iter: int = 100, tol: float = 1e-12) -> float:
    """σ_max(W) by power iteration run to convergence (the exact value is np.linalg.norm(W, 2))."""
    Wa = as_array(W, "W", ndim=2)
    n = as_int(n_iter, "n_iter", low=1)
    tol_ = as_scalar(tol, "tol", low=0.0)
    if Wa.size == 0 or not Wa.any():
        return 0.0
    u = _normalize(np.ones(Wa.shape[0]) + np.arange(Wa.shape[0]) * 1e-3, 1e-300)
    sigma = 0.0
    for _ in range(n):
        v = _normalize(Wa.T @ u, 1e-300)
        u = _normalize(Wa @ v, 1e-300)
        new = float(u @ (Wa @ v))
        if abs(new - sigma) <= tol_ * new:
            return new
        sigma = new
    return sigma
