# expect: wrong_answer
import numpy as np


def max_norm(W, c):
    W = np.asarray(W, dtype=float)
    norms = np.sqrt((W * W).sum(axis=0, keepdims=True))
    return W * c / np.maximum(norms, 1e-12)
