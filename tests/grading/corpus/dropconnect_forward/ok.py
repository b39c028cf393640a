# expect: passed
import numpy as np


def dropconnect_forward(x, W, p, training, rng):
    W = np.asarray(W, dtype=float)
    if not training:
        return np.asarray(x, dtype=float) @ W, np.ones(W.shape)
    M = rng.binomial(1, 1 - p, size=W.shape) / (1 - p)
    return np.asarray(x, dtype=float) @ (W * M), M
