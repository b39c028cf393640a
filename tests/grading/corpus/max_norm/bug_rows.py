# expect: wrong_answer
import numpy as np


def max_norm(W, c):
    W = np.asarray(W, dtype=float)
    norms = np.sqrt((W * W).sum(axis=-1, keepdims=True))
    return W * np.minimum(1.0, c / np.maximum(norms, 1e-300))
