# expect: passed
import numpy as np


def max_norm(W, c):
    W = np.array(W, dtype=float)
    norms = np.linalg.norm(W, axis=0)
    for j, n in enumerate(np.atleast_1d(norms)):
        if n > c:
            if W.ndim == 1:
                W = W * (c / n)
            else:
                W[:, j] *= c / n
    return W
