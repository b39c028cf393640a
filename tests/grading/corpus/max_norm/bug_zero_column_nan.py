# expect: wrong_answer
import numpy as np


def max_norm(W, c):
    W = np.asarray(W, dtype=float)
    norms = np.sqrt((W * W).sum(axis=0, keepdims=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        return W * np.minimum(1.0, c / norms) * (norms / norms)
