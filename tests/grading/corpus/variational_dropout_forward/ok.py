# expect: passed
import numpy as np


def variational_dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    b, _, f = x.shape
    if not training:
        return x.copy(), np.ones((b, 1, f))
    mask = np.where(rng.random((b, 1, f)) < p, 0.0, 1 / (1 - p))
    return x * mask, mask
