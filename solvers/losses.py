"""Cross-entropy with label smoothing, PyTorch's `CrossEntropyLoss(label_smoothing=eps)`.

Smoothed target: q = (1 − eps)·onehot(y) + eps/C. Loss per sample: −Σ_k q_k·log softmax(z)_k,
averaged over the batch. Note eps/C also goes to the true class (so [0, 1, 0] with eps = 0.1
becomes [0.0333, 0.9333, 0.0333], not [0.05, 0.9, 0.05] as source 003's example suggests).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from solvers._validation import FloatArray, as_array, as_int, as_labels, as_scalar

__all__ = ["label_smoothing_cross_entropy", "log_softmax", "smoothed_targets"]


def log_softmax(logits: Any, axis: int = -1) -> FloatArray:
    """z − logsumexp(z), stable for large |z| (the max is subtracted first)."""
    z = as_array(logits, "logits")
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _eps(eps: Any) -> float:
    return as_scalar(eps, "eps", low=0.0, high=1.0, high_open=True)


def smoothed_targets(labels: Any, n_classes: int, eps: float) -> FloatArray:
    """(1 − eps)·onehot(labels) + eps/n_classes, one row per label."""
    C = as_int(n_classes, "n_classes", low=1)
    e = _eps(eps)
    lab = np.asarray(labels)
    y = as_labels(lab.reshape(-1), "labels", lab.size, C)
    q = np.full((y.size, C), e / C)
    q[np.arange(y.size), y] += 1.0 - e
    return q


def label_smoothing_cross_entropy(logits: Any, labels: Any, eps: float) -> float:
    """mean_i [ (1 − eps)·(−log p_{i,y_i}) + eps·mean_k(−log p_{i,k}) ], p = softmax(logits).

    logits is (N, C) with labels (N,) of integer class indices, or (C,) with one label.
    """
    z = as_array(logits, "logits", ndim=(1, 2))
    e = _eps(eps)
    if z.ndim == 1:
        z = z[None, :]
        labels = np.reshape(np.asarray(labels), (1,))
    N, C = z.shape
    if N == 0 or C == 0:
        raise ValueError(f"logits must have at least one row and one class, got shape {z.shape}")
    y = as_labels(labels, "labels", N, C)
    logp = log_softmax(z)
    nll = -logp[np.arange(N), y]
    uniform = -logp.mean(axis=1)
    return float(np.mean((1.0 - e) * nll + e * uniform))
