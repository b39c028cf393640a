# expect: passed
# Keras MaxNorm's exact formula: W * clip(norms, 0, c) / (eps + norms)
import numpy as np


def max_norm(W, c):
    W = np.asarray(W, dtype=float)
    norms = np.sqrt(np.sum(np.square(W), axis=0, keepdims=True))
    desired = np.clip(norms, 0, c)
    return W * (desired / (1e-7 + norms))
