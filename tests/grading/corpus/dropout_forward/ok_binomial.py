# expect: passed
# draws the mask differently (binomial, keep-probability 1 - p): still valid
import numpy as np


def dropout_forward(x, p, training, rng):
    if not training or p == 0:
        return np.array(x, dtype=float), np.ones(np.shape(x))
    keep = rng.binomial(1, 1 - p, size=np.shape(x)).astype(float)
    mask = keep / (1 - p)
    return x * mask, mask
