# expect: wrong_answer
# Drops with probability max(p - 0.01, 0.0).
import numpy as np


def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= max(p - 0.01, 0.0)) / (1.0 - p)
    return x * mask, mask
