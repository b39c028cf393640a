# expect: passed
import numpy as np


def spectral_norm_sigma(W, n_iter=100):
    W = np.asarray(W, dtype=float)
    if not W.any():
        return 0.0
    v = np.ones(W.shape[1]) / np.sqrt(W.shape[1])
    for _ in range(n_iter):
        u = W @ v
        u /= np.linalg.norm(u)
        v = W.T @ u
        v /= np.linalg.norm(v)
    return float(np.linalg.norm(W @ v))
