"""One optimiser step with weight decay, with PyTorch's update rules.

L2 in the loss and weight decay are the same thing only for plain SGD. With Adam, an L2 term
added to the gradient is divided by √v̂ like the rest of the gradient, so weights with large
gradients are barely decayed; AdamW (Loshchilov & Hutter 2019) decays the weights directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from solvers._validation import FloatArray, as_array, as_int, as_scalar

__all__ = ["AdamState", "adam_step", "adamw_step", "sgd_step"]


def _same_shape(w: FloatArray, other: Any, name: str) -> FloatArray:
    arr = as_array(other, name)
    if arr.shape != w.shape:
        raise ValueError(f"{name} must have the shape of w {w.shape}, got {arr.shape}")
    return arr


def sgd_step(
    w: Any,
    grad: Any,
    lr: float,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    velocity: Any = None,
) -> tuple[FloatArray, FloatArray]:
    """torch.optim.SGD: g = grad + wd·w; v ← μ·v + g (v = g on the first step); w ← w − lr·v.

    With μ = 0 this is w ← (1 − lr·wd)·w − lr·grad: weight decay, which equals L2 with the
    loss term (wd/2)·‖w‖². Returns (w_new, velocity).
    """
    wa = as_array(w, "w")
    g = _same_shape(wa, grad, "grad")
    lr_ = as_scalar(lr, "lr", low=0.0)
    wd = as_scalar(weight_decay, "weight_decay", low=0.0)
    mu = as_scalar(momentum, "momentum", low=0.0, high=1.0)
    d = g + wd * wa
    if mu > 0.0 and velocity is not None:
        d = mu * _same_shape(wa, velocity, "velocity") + d
    return wa - lr_ * d, d


@dataclass(frozen=True)
class AdamState:
    """First and second moment estimates and the step count t (1 after the first step)."""

    m: FloatArray
    v: FloatArray
    t: int

    @classmethod
    def zeros(cls, shape: tuple[int, ...]) -> AdamState:
        return cls(np.zeros(shape), np.zeros(shape), 0)


def _adam(
    wa: FloatArray,
    g: FloatArray,
    state: AdamState | None,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
) -> tuple[FloatArray, AdamState]:
    b1 = as_scalar(beta1, "beta1", low=0.0, high=1.0, high_open=True)
    b2 = as_scalar(beta2, "beta2", low=0.0, high=1.0, high_open=True)
    e = as_scalar(eps, "eps", low=0.0)
    lr_ = as_scalar(lr, "lr", low=0.0)
    st = AdamState.zeros(wa.shape) if state is None else state
    m0 = _same_shape(wa, st.m, "state.m")
    v0 = _same_shape(wa, st.v, "state.v")
    t = as_int(st.t, "state.t", low=0) + 1
    m = b1 * m0 + (1 - b1) * g
    v = b2 * v0 + (1 - b2) * g * g
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    return wa - lr_ * m_hat / (np.sqrt(v_hat) + e), AdamState(m, v, t)


def adam_step(
    w: Any,
    grad: Any,
    state: AdamState | None = None,
    lr: float = 1e-3,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
) -> tuple[FloatArray, AdamState]:
    """torch.optim.Adam with L2 folded into the gradient: g = grad + wd·w, then
    m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², w ← w − lr·m̂/(√v̂ + eps) with bias-corrected
    m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ). Returns (w_new, new_state)."""
    wa = as_array(w, "w")
    g = _same_shape(wa, grad, "grad")
    wd = as_scalar(weight_decay, "weight_decay", low=0.0)
    return _adam(wa, g + wd * wa, state, lr, beta1, beta2, eps)


def adamw_step(
    w: Any,
    grad: Any,
    state: AdamState | None = None,
    lr: float = 1e-3,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    weight_decay: float = 1e-2,
) -> tuple[FloatArray, AdamState]:
    """torch.optim.AdamW: decoupled decay w ← (1 − lr·wd)·w first, then the Adam step on the
    raw gradient (the decay never passes through √v̂). Returns (w_new, new_state)."""
    wa = as_array(w, "w")
    g = _same_shape(wa, grad, "grad")
    wd = as_scalar(weight_decay, "weight_decay", low=0.0)
    lr_ = as_scalar(lr, "lr", low=0.0)
    return _adam(wa * (1.0 - lr_ * wd), g, state, lr_, beta1, beta2, eps)
